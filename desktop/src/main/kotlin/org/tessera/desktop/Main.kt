package org.tessera.desktop

import androidx.compose.ui.window.application
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.swing.Swing
import kotlinx.coroutines.Dispatchers

/**
 * Tessera Desktop. `tessera-desktop [LINK]`: an igmobileotp:// or otpauth:// link given as the
 * first argument (the system's URL handler passes it so) opens on Add Identity's confirmation
 * page. The token lives in the CLI's folder ([tokenFolder]), sealed by the device key in the
 * system keystore when there is one.
 */
fun main(args: Array<String>) {
    val token = openToken(tokenFolder())
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Swing)
    val app = DesktopApp(token, scope, AwtClipboard())
    args.firstOrNull()?.let(app::openLink)
    application { TesseraWindow(app) }
}
