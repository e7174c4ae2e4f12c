package org.tessera.kit.android

import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.os.Build
import android.os.PersistableBundle
import org.tessera.kit.Clipboard

/**
 * The system clipboard for the view models. Codes are marked sensitive (Android 13+ then hides
 * them from the copy preview and keyboard suggestions); the view models clear them again after a
 * while.
 */
class AndroidClipboard(context: Context) : Clipboard {
    private val manager = context.getSystemService(ClipboardManager::class.java)

    override fun copy(text: String) {
        val clip = ClipData.newPlainText("Tessera", text)
        clip.description.extras = PersistableBundle().apply {
            val key = if (Build.VERSION.SDK_INT >= 33) ClipDescription.EXTRA_IS_SENSITIVE else "android.content.extra.IS_SENSITIVE"
            putBoolean(key, true)
        }
        manager.setPrimaryClip(clip)
    }

    override fun current(): String? {
        val clip = manager.primaryClip ?: return null
        if (clip.itemCount == 0) return null
        return clip.getItemAt(0).text?.toString()
    }

    override fun clear() {
        if (Build.VERSION.SDK_INT >= 28) {
            manager.clearPrimaryClip()
        } else {
            manager.setPrimaryClip(ClipData.newPlainText("", ""))
        }
    }
}
