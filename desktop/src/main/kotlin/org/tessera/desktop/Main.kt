package org.tessera.desktop

import androidx.compose.ui.window.application
import java.awt.Desktop
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.swing.Swing
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch

/**
 * Tessera Desktop. `tessera-desktop [LINK]`: an igmobileotp:// or otpauth:// link given as the
 * first argument (the system's URL handler passes it so) opens on Add Identity's confirmation
 * page. The token lives in the CLI's folder ([tokenFolder]), sealed by the device key in the
 * system keystore when there is one. A launch while one runs hands its link to the running
 * window and exits ([SingleInstance]), before it opens the token. The token locks as the tray's
 * Lock does when the screen locks ([ScreenLockWatch]).
 */
fun main(args: Array<String>) {
    val link = args.firstOrNull()
    val instance = when (val claim = SingleInstance.claimForLaunch(link)) {
        SingleInstance.Claim.HandedOver -> return
        is SingleInstance.Claim.First -> claim.instance
        null -> null
    }
    val token = openToken(tokenFolder())
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Swing)
    val app = DesktopApp(token, scope, AwtClipboard())
    link?.let(app::openLink)
    instance?.listen { handed -> scope.launch { app.handedOver(handed) } }
    // macOS gives a clicked link to the running app as an event, not as an argument.
    if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.APP_OPEN_URI)) {
        Desktop.getDesktop().setOpenURIHandler { event -> scope.launch { app.openLink(event.uri.toString()) } }
    }
    val screenLock = ScreenLockWatch.forThisSystem(app::screenLocked)
    application { TesseraWindow(app) }
    screenLock.close()
    instance?.close()
}
