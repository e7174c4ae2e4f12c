package org.tessera.desktop

import androidx.compose.ui.window.application
import java.awt.Frame
import java.awt.KeyboardFocusManager
import java.awt.MenuItem
import java.awt.SystemTray
import java.awt.event.ActionEvent
import java.awt.event.WindowEvent
import javax.swing.JFrame
import kotlin.concurrent.thread
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.swing.Swing
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenSession
import org.tessera.ffi.TokenStatus

/**
 * The tray icon's menu on the real window (TesseraWindow in Compose's application loop): Show
 * brings the minimised, covered window back restored, in front and focused, as a later launch
 * does (HandOverTest); Lock locks the token. Where the X display has a system tray the real
 * TrayIcon's menu items are clicked; where AWT says it has none (Xvfb) the same items, from
 * [trayItems], which the window's tray is built from.
 */
class TrayTest {
    @Test
    fun showBringsTheMinimisedWindowForwardAndLockLocks() {
        val session = TokenSession(tempFolder("tessera-desktop-tray").toString(), null)
        session.addIdentity().use { flow ->
            flow.enterLink(Typed.OTPAUTH)
            flow.setPin(Typed.PIN)
            flow.confirmPin(Typed.PIN)
        }
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Swing)
        val app = DesktopApp(OpenedToken(session, null), scope, AwtClipboard())
        val loop = thread(name = "tessera-application") { application(exitProcessOnExit = false) { TesseraWindow(app) } }
        val cover = JFrame("Browser")
        try {
            val tessera = waitFor("the Tessera window") { Frame.getFrames().firstOrNull { it.title == "Tessera" && it.isShowing } }
            val menu = trayMenu(app)
            assertEquals(listOf("Show", "Lock", "Quit"), menu.keys.toList())
            val inFront = coverAndMinimise(tessera, cover)

            onSwing { menu.getValue("Show")() }
            waitFor("Tessera's window in front") { inFront().takeIf { it } }
            waitFor("Tessera's window focused") {
                onSwing { KeyboardFocusManager.getCurrentKeyboardFocusManager().focusedWindow }.takeIf { it === tessera }
            }
            assertEquals(0, onSwing { tessera.extendedState } and Frame.ICONIFIED, "the window is still minimised")

            waitFor("the token unlocked") { app.unlocked().takeIf { it } }
            onSwing { menu.getValue("Lock")() }
            waitFor("the token locked by the tray's Lock") { (!app.unlocked()).takeIf { it } }
            assertFalse(session.status() is TokenStatus.Unlocked, "the session itself is still open")

            onSwing { tessera.dispatchEvent(WindowEvent(tessera, WindowEvent.WINDOW_CLOSING)) }
            loop.join(10_000)
        } finally {
            onSwing { cover.dispose() }
            scope.cancel()
        }
    }

    /**
     * The tray menu's actions by label: the real TrayIcon's PopupMenu items when AWT has a
     * system tray here, else [trayItems] (what the window's Tray is built from).
     */
    private fun trayMenu(app: DesktopApp): Map<String, () -> Unit> {
        if (!SystemTray.isSupported()) {
            return trayItems(app) {}.associate { it.label to it.onClick }
        }
        val icon = waitFor("Tessera's tray icon") { SystemTray.getSystemTray().trayIcons.firstOrNull { it.toolTip == "Tessera" } }
        val popup = icon.popupMenu
        return (0 until popup.itemCount).map { popup.getItem(it) }.associate { item: MenuItem ->
            item.label to { item.actionListeners.forEach { it.actionPerformed(ActionEvent(item, ActionEvent.ACTION_PERFORMED, item.actionCommand)) } }
        }
    }
}
