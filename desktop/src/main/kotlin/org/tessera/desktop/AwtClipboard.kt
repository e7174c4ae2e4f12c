package org.tessera.desktop

import java.awt.Toolkit
import java.awt.datatransfer.Clipboard as SystemClipboard
import java.awt.datatransfer.DataFlavor
import java.awt.datatransfer.StringSelection
import org.tessera.kit.ClipCopy
import org.tessera.kit.Clipboard

/**
 * The desktop's clipboard (java.awt): a desktop app may read it back at any time, so a copied
 * code is cleared only while the clipboard still holds that very text.
 */
class AwtClipboard(
    private val board: () -> SystemClipboard = { Toolkit.getDefaultToolkit().systemClipboard },
) : Clipboard() {
    override fun put(text: String): Long? {
        board().setContents(StringSelection(text), null)
        return null
    }

    override fun stillHolds(copy: ClipCopy): Boolean? = try {
        board().getData(DataFlavor.stringFlavor) == copy.text
    } catch (_: Exception) {
        // Another program holds the clipboard, or it holds no text: not the code any more.
        false
    }

    override fun erase() {
        board().setContents(StringSelection(""), null)
    }
}
