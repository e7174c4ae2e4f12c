package org.tessera.desktop

import androidx.compose.ui.window.application
import java.awt.Frame
import java.awt.Point
import java.awt.datatransfer.DataFlavor
import java.awt.datatransfer.Transferable
import java.awt.dnd.DnDConstants
import java.awt.dnd.DropTarget
import java.awt.dnd.DropTargetDropEvent
import java.awt.event.WindowEvent
import java.io.File
import javax.imageio.ImageIO
import kotlin.concurrent.thread
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.swing.Swing
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenStatus
import org.tessera.kit.AppPage
import org.tessera.kit.Shown

/**
 * A PNG dropped on the real window (TesseraWindow in Compose's application loop) goes through
 * the DropTarget the window installs: its listener gets a drop event whose Transferable holds
 * the file as [DataFlavor.javaFileListFlavor], as a file manager's drag gives, accepts it,
 * completes it, and the window shows the confirmation page; nothing is added yet.
 */
class WindowDropTest {
    @Test
    fun aPngDroppedOnTheWindowEndsOnTheConfirmationPage() {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Swing)
        val token = openToken(tempFolder("tessera-desktop-drop"))
        val app = DesktopApp(token, scope, AwtClipboard())
        val loop = thread(name = "tessera-application") { application(exitProcessOnExit = false) { TesseraWindow(app) } }
        try {
            val tessera = waitFor("the Tessera window") { Frame.getFrames().firstOrNull { it.title == "Tessera" && it.isShowing } }
            val png = File.createTempFile("activation", ".png").also { ImageIO.write(qrImage(Typed.OTPAUTH), "png", it) }
            val target = onSwing { tessera.dropTarget } ?: error("the window has no drop target")
            val drop = onSwing { FileDrop(target, Point(tessera.width / 2, tessera.height / 2), filesOf(png)) }
            onSwing { target.drop(drop) }

            assertEquals(DnDConstants.ACTION_COPY, drop.accepted, "the drop was not accepted as a copy")
            assertEquals(true, drop.completed, "the drop was not completed as a success")
            val page = waitFor("the confirmation page") {
                ((app.model.shown.value as? Shown.Page)?.page as? AppPage.Add)?.vm?.state?.value?.confirmLink
            }
            assertEquals("alice@example.com", page.name)
            assertEquals("Example", page.issuer)
            assertEquals(TokenStatus.NoToken, token.session.status(), "added before the person confirmed")

            onSwing { tessera.dispatchEvent(WindowEvent(tessera, WindowEvent.WINDOW_CLOSING)) }
            loop.join(10_000)
        } finally {
            scope.cancel()
        }
    }

    /** What a file manager's drag carries: the list of dragged files. */
    private fun filesOf(vararg files: File) = object : Transferable {
        override fun getTransferDataFlavors() = arrayOf(DataFlavor.javaFileListFlavor)
        override fun isDataFlavorSupported(flavor: DataFlavor) = flavor == DataFlavor.javaFileListFlavor
        override fun getTransferData(flavor: DataFlavor): Any = files.toList()
    }

    /**
     * A drop on [target] as AWT delivers one at the end of a drag; only the native peer's part
     * (which the X display would give during a real drag) is answered here: the dragged data,
     * and what the listener said about the drop.
     */
    private class FileDrop(target: DropTarget, at: Point, private val data: Transferable) :
        DropTargetDropEvent(target.dropTargetContext, at, DnDConstants.ACTION_COPY, DnDConstants.ACTION_COPY_OR_MOVE) {
        var accepted: Int? = null
        var completed: Boolean? = null

        override fun getTransferable(): Transferable = data
        override fun isDataFlavorSupported(flavor: DataFlavor) = data.isDataFlavorSupported(flavor)
        override fun getCurrentDataFlavors(): Array<DataFlavor> = data.transferDataFlavors
        override fun acceptDrop(dropAction: Int) {
            accepted = dropAction
        }
        override fun rejectDrop() {
            accepted = DnDConstants.ACTION_NONE
        }
        override fun dropComplete(success: Boolean) {
            completed = success
        }
    }
}
