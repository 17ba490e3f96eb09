package io.github.cachelayer.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * A small sign-in over Spring Security, its HttpSession kept by Spring Session on CacheLayer:
 * any instance serves a signed-in browser. Session fixation is prevented (the id changes at
 * sign-in, atomically on every instance), and each user has one session at a time: signing in
 * again ends the older one wherever it is used ({@link SpringSessionBackedSessionRegistry} over
 * the principal index). The original's JSON API stays open and unchanged.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {
  /** The demo's users; the password from {@code demo.password} (default: {@code demo}). */
  @Bean
  UserDetailsService users(@Value("${demo.password:demo}") String password) {
    PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    String encoded = encoder.encode(password);
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password(encoded).roles("USER").build(),
        User.withUsername("bob").password(encoded).roles("USER").build());
  }

  @Bean
  <S extends Session> SpringSessionBackedSessionRegistry<S> sessionRegistry(
      FindByIndexNameSessionRepository<S> sessions) {
    return new SpringSessionBackedSessionRegistry<>(sessions);
  }

  @Bean
  SecurityFilterChain signIn(HttpSecurity http,
      SpringSessionBackedSessionRegistry<? extends Session> registry) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/account").authenticated()
            .anyRequest().permitAll())
        .formLogin(form -> form.defaultSuccessUrl("/", true))
        .logout(logout -> logout.logoutSuccessUrl("/"))
        // The original's JSON API takes no cookies' authority: no CSRF token asked of it.
        .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
        .sessionManagement(sessions -> sessions
            .sessionFixation(fixation -> fixation.changeSessionId())
            .maximumSessions(1)
            .sessionRegistry(registry)
            .expiredUrl("/?expired"));
    return http.build();
  }
}
