package org.tessera.kit

/**
 * What the app recorded when it put [text] on the clipboard: the text and the platform's own
 * stamp of that clip (Android 8+: the clip description's timestamp), or null where the
 * platform gives none.
 */
class ClipCopy internal constructor(val text: String, val stamp: Long?)

/**
 * The system clipboard as the view models use it: Android's ClipboardManager in the app, a
 * plain holder in tests and screenshots.
 *
 * A platform supplies three primitives: [put], [stillHolds] and [erase]. Whether a copied code
 * may be cleared is decided here, from the app's own record of what it copied, because the
 * platform cannot always tell: on Android 10+ an app in the background reads nothing of the
 * clipboard (as iOS code must not read the pasteboard, and compares its change count instead).
 * Thread-safe: one instance serves every view model.
 */
abstract class Clipboard {
    private val lock = Any()
    private var latest: ClipCopy? = null

    /** Puts [text] on the clipboard and records it as the app's latest copy. */
    fun copy(text: String): ClipCopy {
        synchronized(lock) {
            val copy = ClipCopy(text, put(text))
            latest = copy
            return copy
        }
    }

    /**
     * Empties the clipboard if it still holds [copy]: when [copy] is the app's latest copy and
     * the platform does not say something else was copied since. When the platform cannot tell
     * (the app is in the background), the app's record decides: the clip is cleared, as leaving
     * a code there is worse than clearing a clip the person made meanwhile. A later copy by the
     * app supersedes [copy], and is cleared by its own timer. Returns whether it cleared.
     */
    fun clearIfStillHolds(copy: ClipCopy): Boolean {
        synchronized(lock) {
            if (latest !== copy || stillHolds(copy) == false) return false
            erase()
            latest = null
            return true
        }
    }

    /** Puts [text] on the platform's clipboard; returns the platform's stamp of the clip, if any. */
    protected abstract fun put(text: String): Long?

    /**
     * Whether the clipboard still holds [copy]: true, false (something else was copied since),
     * or null when the platform does not let the app tell.
     */
    protected abstract fun stillHolds(copy: ClipCopy): Boolean?

    /** Empties the platform's clipboard. */
    protected abstract fun erase()
}

/**
 * A clipboard that lives in memory: for tests, screenshots and platforms without one.
 * [readable] false plays Android 10+ with the app in the background: nothing can be read back.
 */
class MemoryClipboard : Clipboard() {
    @Volatile private var text: String? = null
    @Volatile private var stamp = 0L

    /** Whether the app may read the clipboard now. */
    @Volatile var readable = true

    /** What the clipboard holds now (whatever [readable] says: this is the test's view). */
    fun current(): String? = text

    /** Another app (or the person) puts [text] on the clipboard. */
    fun copiedElsewhere(text: String) {
        this.text = text
        stamp += 1
    }

    override fun put(text: String): Long {
        copiedElsewhere(text)
        return stamp
    }

    override fun stillHolds(copy: ClipCopy): Boolean? = if (readable) copy.stamp == stamp else null

    override fun erase() {
        text = null
        stamp += 1
    }
}
