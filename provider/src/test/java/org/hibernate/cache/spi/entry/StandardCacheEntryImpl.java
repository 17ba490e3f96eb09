package org.hibernate.cache.spi.entry;

import java.io.Serializable;

/** Stand-in with the name and shape of Hibernate's second-level cache entry. */
public final class StandardCacheEntryImpl implements Serializable {
  private static final long serialVersionUID = 1L;
  public final Serializable[] disassembledState;
  public final String subclass;
  public final Object version;

  public StandardCacheEntryImpl(Serializable[] disassembledState, String subclass, Object version) {
    this.disassembledState = disassembledState;
    this.subclass = subclass;
    this.version = version;
  }
}
