package org.tessera.kit

/**
 * The system clipboard as the view models use it: Android's ClipboardManager in the app, a
 * plain holder in tests and screenshots.
 */
interface Clipboard {
    /** Puts [text] on the clipboard. */
    fun copy(text: String)

    /** What the clipboard holds now, as far as the app may read it (null: nothing or unknown). */
    fun current(): String?

    /** Empties the clipboard. */
    fun clear()
}

/** A clipboard that lives in memory: for tests, screenshots and platforms without one. */
class MemoryClipboard : Clipboard {
    @Volatile private var text: String? = null

    override fun copy(text: String) {
        this.text = text
    }

    override fun current(): String? = text

    override fun clear() {
        text = null
    }
}
