package org.tessera.kit.android

import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.os.Build
import android.os.PersistableBundle
import org.tessera.kit.ClipCopy
import org.tessera.kit.Clipboard

/**
 * The system clipboard for the view models. Codes are marked sensitive (Android 13+ then hides
 * them from the copy preview and keyboard suggestions); the view models clear them again after a
 * while ([Clipboard.clearIfStillHolds] decides when).
 *
 * Whether the clipboard still holds a copy is told by the clip's timestamp (Android 8+), read
 * back right after the copy while the app is in the foreground, never by its text: on Android
 * 10+ an app in the background reads neither the clip nor its description, and then
 * [stillHolds] answers null and the app's own record decides. Before Android 8 there is no
 * timestamp, but every app may read the clipboard, so the text is compared. Call it from the
 * main thread, as the view models do (ClipboardManager belongs to the main looper).
 */
class AndroidClipboard(context: Context) : Clipboard() {
    private val manager = context.getSystemService(ClipboardManager::class.java)

    override fun put(text: String): Long? {
        val clip = ClipData.newPlainText("Tessera", text)
        clip.description.extras = PersistableBundle().apply {
            val key = if (Build.VERSION.SDK_INT >= 33) ClipDescription.EXTRA_IS_SENSITIVE else "android.content.extra.IS_SENSITIVE"
            putBoolean(key, true)
        }
        manager.setPrimaryClip(clip)
        // The system stamps the clip when it takes it; our copy of the description is not stamped.
        return if (Build.VERSION.SDK_INT >= 26) manager.primaryClipDescription?.timestamp else null
    }

    override fun stillHolds(copy: ClipCopy): Boolean? {
        if (Build.VERSION.SDK_INT >= 26) {
            val stamp = copy.stamp ?: return null
            // Null in the background on Android 10+ (or when the clipboard is empty, where
            // clearing does no harm).
            val description = manager.primaryClipDescription ?: return null
            return description.timestamp == stamp
        }
        val clip = manager.primaryClip ?: return false
        return clip.itemCount > 0 && clip.getItemAt(0).text?.toString() == copy.text
    }

    override fun erase() {
        if (Build.VERSION.SDK_INT >= 28) {
            manager.clearPrimaryClip()
        } else {
            manager.setPrimaryClip(ClipData.newPlainText("", ""))
        }
    }
}
