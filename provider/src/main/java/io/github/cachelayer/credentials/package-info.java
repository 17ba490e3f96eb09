/**
 * Credentials that change: the SPI an application (or an optional module, such as the one for
 * Microsoft Entra ID) implements to give Redis a user name and a password or token, and what a
 * manager keeps of them. Configured by {@code cachelayer.redis.credentials.provider}.
 *
 * <p>A foundation: must not import {@code store}, {@code cache}, {@code local} or {@code redis}.
 */
package io.github.cachelayer.credentials;
