package com.example.library;

/** An application enum in the entity's state: other nodes must read it with no setting. */
public enum Genre { SCIENCE_FICTION, CLASSIC }
