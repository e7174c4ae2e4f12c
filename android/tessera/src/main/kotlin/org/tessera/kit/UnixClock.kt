package org.tessera.kit

/**
 * A source of Unix time in seconds. The core keeps its own clock; a shell passes one of these
 * only to preview codes at chosen times (tests, screenshots), which then go through
 * [org.tessera.ffi.TokenSession.codeAt].
 */
fun interface UnixClock {
    /** Seconds since the Unix epoch. */
    fun nowSeconds(): Long
}
