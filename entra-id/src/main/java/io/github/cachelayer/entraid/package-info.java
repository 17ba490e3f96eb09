/**
 * Microsoft Entra ID tokens as Redis credentials: the {@code entra-id} credentials provider
 * (Azure Managed Redis, Azure Cache for Redis with Entra authentication).
 */
package io.github.cachelayer.entraid;
