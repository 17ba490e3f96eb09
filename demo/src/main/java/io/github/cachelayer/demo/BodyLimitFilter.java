package io.github.cachelayer.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request body over {@link #MAX_BYTES}: a declared length over it is answered 413 before
 * anything is read, and a body without one (chunked) fails with 413 once it passes the limit, so
 * that no one can make the service buffer megabytes (four concurrent 50 MB bodies took a 384 MB
 * heap down). Every body the service takes is far smaller: a session's data is at most
 * {@link SessionController#MAX_SESSION_CHARS} characters.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodyLimitFilter extends OncePerRequestFilter {
  static final int MAX_BYTES = 64 * 1024;

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    if (request.getContentLengthLong() > MAX_BYTES) {
      refuse(response);
      return;
    }
    try {
      chain.doFilter(new Limited(request), response);
    } catch (BodyTooLarge e) {
      if (!response.isCommitted()) {
        response.reset();
        refuse(response);
      }
    }
  }

  private static void refuse(HttpServletResponse response) throws IOException {
    response.setStatus(413);
    response.setContentType("application/json");
    response.getOutputStream().write(("{\"error\":\"payload_too_large\",\"message\":\"a request "
        + "body holds at most " + MAX_BYTES + " bytes\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** Thrown by the body's stream once it passes the limit. */
  static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body over " + MAX_BYTES + " bytes");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private ServletInputStream stream;

    Limited(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream());
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private long read;

    Counting(ServletInputStream in) {
      this.in = in;
    }

    private int counted(int n) throws BodyTooLarge {
      if (n > 0) {
        read += n;
        if (read > MAX_BYTES) {
          throw new BodyTooLarge();
        }
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return counted(in.read(buffer, offset, length));
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
