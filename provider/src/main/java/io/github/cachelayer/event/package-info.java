/** Entry events: registrations, per-registration shaping, and ordered delivery. */
package io.github.cachelayer.event;
