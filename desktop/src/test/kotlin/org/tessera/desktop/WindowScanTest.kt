package org.tessera.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runComposeUiTest
import java.awt.Color
import java.awt.Rectangle
import java.io.IOException
import javax.swing.ImageIcon
import javax.swing.JFrame
import javax.swing.JLabel
import javax.swing.SwingUtilities
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenStatus

/**
 * "Scan a window" on the test's X display (Xvfb): the X server's windows are listed through
 * JNA's Xlib mapping with their titles and places, and only the chosen window is captured and
 * read: a window without a QR code finds none although another window on the screen shows one.
 */
@OptIn(ExperimentalTestApi::class)
class WindowScanTest {
    @Test
    fun theWindowsAreListedWithTheirTitlesAndPlaces() = withWindows { activation, photos ->
        val listed = X11Windows.windows()
        assertEquals(onSwing { Rectangle(activation.locationOnScreen, activation.size) }, listed.single { it.title == ACTIVATION }.bounds)
        assertEquals(onSwing { Rectangle(photos.locationOnScreen, photos.size) }, listed.single { it.title == PHOTOS }.bounds)
    }

    @Test
    fun onlyTheChosenWindowIsRead() {
        val issuer = issuer()
        val issued = issuer.issueSeedIdentity()
        withWindows(qr = issued.link) { _, _ ->
            runComposeUiTest {
                DesktopUnderTest().use { desk ->
                    setContent { DesktopContent(desk.app, desk.hooks) }
                    waitForText("No identities yet")
                    openWindowScan()
                    waitForText("$PHOTOS (300 × 200)")
                    onNodeWithText("$PHOTOS (300 × 200)").performClick()
                    waitForText("No QR code was found in the window \"$PHOTOS\".")
                    assertEquals(TokenStatus.NoToken, desk.token.session.status())

                    onNodeWithText("Scan a window…").performClick()
                    waitForText(ACTIVATION, substring = true)
                    onNodeWithText(ACTIVATION, substring = true).performClick()
                    waitForText("Add identity?")
                    waitForText("The password that came with the link is asked next.")
                }
            }
        }
    }

    @Test
    fun windowsThatCannotBeListedAreSaidInWords() = runComposeUiTest {
        val broken = object : WindowSource {
            override fun windows(): List<ShownWindow> = throw IOException("the X display :99 could not be opened")
            override fun capture(window: ShownWindow) = error("nothing was listed")
        }
        DesktopUnderTest(windows = broken).use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }
            waitForText("No identities yet")
            openWindowScan()
            waitForText("The windows could not be listed (the X display :99 could not be opened).")
            onNodeWithTag("window-choices").assertDoesNotExist()
        }
    }

    /** A window showing [qr] as a QR code (or a plain one) and a plain "photos" window beside it. */
    private fun withWindows(qr: String = Typed.OTPAUTH, block: (JFrame, JFrame) -> Unit) {
        val activation = JFrame(ACTIVATION)
        val photos = JFrame(PHOTOS)
        onSwing {
            activation.contentPane.add(JLabel(ImageIcon(qrImage(qr))))
            activation.setLocation(520, 40)
            activation.pack()
            activation.isVisible = true
            photos.contentPane.background = Color(0x88, 0xAA, 0x55)
            photos.setBounds(20, 600, 300, 200)
            photos.isVisible = true
        }
        try {
            // The display has no window manager: the windows are where they were put once drawn.
            val deadline = System.currentTimeMillis() + 10_000
            while (X11Windows.windows().count { it.title == ACTIVATION || it.title == PHOTOS } < 2) {
                check(System.currentTimeMillis() < deadline) { "the test's windows never showed" }
                Thread.sleep(100)
            }
            Thread.sleep(300)
            assertNotNull(platformWindows(), "Linux with a DISPLAY lists its windows")
            block(activation, photos)
        } finally {
            onSwing {
                activation.dispose()
                photos.dispose()
            }
        }
    }

    private fun <T> onSwing(block: () -> T): T {
        var result: Result<T>? = null
        SwingUtilities.invokeAndWait { result = runCatching(block) }
        return result!!.getOrThrow()
    }

    private companion object {
        const val ACTIVATION = "Activation — Example University"
        const val PHOTOS = "Holiday photos"
    }
}
