package org.tessera.desktop

import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.res.painterResource
import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.ApplicationScope
import androidx.compose.ui.window.Tray
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.rememberWindowState
import java.awt.Dimension
import java.awt.FileDialog
import java.awt.Frame
import java.awt.dnd.DnDConstants
import java.awt.dnd.DropTarget
import java.awt.dnd.DropTargetAdapter
import java.awt.dnd.DropTargetDropEvent
import java.awt.event.WindowAdapter
import java.awt.event.WindowEvent
import java.io.File

/** The window's smallest size: the phone's narrowest pages fit without clipping a button. */
val MINIMUM_SIZE = Dimension(400, 560)

/**
 * Shows [frame] restored (not minimised), in front of the other windows and focused: what a
 * person expects when a link they clicked elsewhere opens in the running app.
 */
fun bringForward(frame: Frame) {
    frame.isVisible = true
    frame.extendedState = frame.extendedState and Frame.ICONIFIED.inv()
    frame.toFront()
    frame.requestFocus()
}

/** One entry of the tray icon's menu. */
class TrayItem(val label: String, val onClick: () -> Unit)

/**
 * The tray icon's menu over [app]: Show brings the window forward as a later launch does,
 * Lock locks the token, Quit runs [quit]. Kept apart from [TesseraWindow] so the same items
 * can be driven where the desktop has no system tray (Xvfb).
 */
fun trayItems(app: DesktopApp, quit: () -> Unit): List<TrayItem> = listOf(
    TrayItem("Show", app::showWindow),
    TrayItem("Lock") { app.model.lock() },
    TrayItem("Quit", quit),
)

/**
 * Tessera Desktop's window and tray icon over [app]: Show brings the window back, Lock locks
 * the token, Quit closes the session and the app. A dropped picture is read like an opened one;
 * minimising the window counts as leaving the app (the auto-lock's delay starts). A later
 * launch brings the window forward ([DesktopApp.handedOver]).
 */
@Composable
fun ApplicationScope.TesseraWindow(app: DesktopApp) {
    var visible by remember { mutableStateOf(true) }
    val state = rememberWindowState(size = DpSize(480.dp, 780.dp))
    val icon = painterResource("tessera.svg")
    val quit = {
        app.close()
        exitApplication()
    }
    Tray(
        icon = icon,
        tooltip = "Tessera",
        onAction = app::showWindow,
        menu = { trayItems(app, quit).forEach { Item(it.label, onClick = it.onClick) } },
    )
    Window(onCloseRequest = quit, state = state, visible = visible, title = "Tessera", icon = icon) {
        val raised by app.raiseRequests.collectAsState()
        LaunchedEffect(raised) {
            if (raised > 0) {
                visible = true
                state.isMinimized = false
                bringForward(window)
            }
        }
        DisposableEffect(window) {
            window.minimumSize = MINIMUM_SIZE
            val drop = DropTarget(window, DnDConstants.ACTION_COPY, object : DropTargetAdapter() {
                override fun drop(event: DropTargetDropEvent) {
                    event.acceptDrop(DnDConstants.ACTION_COPY)
                    app.addFromImage(imageIn(event.transferable), "the dropped file")
                    event.dropComplete(true)
                }
            })
            val iconified = object : WindowAdapter() {
                override fun windowIconified(e: WindowEvent) = app.windowShown(false)
                override fun windowDeiconified(e: WindowEvent) = app.windowShown(true)
            }
            window.addWindowListener(iconified)
            onDispose {
                drop.removeNotify()
                window.removeWindowListener(iconified)
            }
        }
        DesktopContent(
            app,
            DesktopHooks(
                chooseImageFile = {
                    val dialog = FileDialog(window, "Open the picture of a QR code", FileDialog.LOAD)
                    dialog.setFilenameFilter { _, name -> name.lowercase().let { it.endsWith(".png") || it.endsWith(".jpg") || it.endsWith(".jpeg") } }
                    dialog.isVisible = true
                    dialog.file?.let { File(dialog.directory, it) }
                },
                pastedImage = ::clipboardImage,
            ),
        )
    }
}
