package org.tessera.desktop

import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import androidx.compose.ui.test.runComposeUiTest
import java.awt.Image
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import java.awt.datatransfer.Transferable
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO
import javax.swing.ImageIcon
import javax.swing.JFrame
import javax.swing.JLabel
import javax.swing.SwingUtilities
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tessera.ffi.IssuedIdentity
import org.tessera.ffi.Issuer
import org.tessera.ffi.TokenStatus

/**
 * Every desktop way to add an identity ends on the same confirmation page, and the identity the
 * organisation issued is added after its password and a PIN: a pasted link, an opened PNG and a
 * dropped JPEG of a real QR code, an image pasted from the clipboard, a real capture of the X
 * display showing a QR code in a window, and a link given on the command line.
 */
@OptIn(ExperimentalTestApi::class)
class AddFromDesktopTest {
    private val issuer: Issuer = issuer()

    @Test
    fun aPastedLinkIsConfirmedThenAdded() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }
            pasteLink(issued.link)
            confirmAndFinish(issued, desk)
        }
    }

    @Test
    fun aPastedLinkThatIsCancelledAddsNothing() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }
            pasteLink(issued.link)
            waitForText("Add identity?")
            onNodeWithText("Cancel").performClick()
            waitForText("Paste the igmobileotp:// or otpauth:// link you were sent.")
            assertEquals(TokenStatus.NoToken, desk.token.session.status())
        }
    }

    @Test
    fun aPastedLinkTheCoreCannotReadIsSaidBesideTheField() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }
            pasteLink("https://example.com/not-an-activation-link")
            // The core's reason, as a sentence beside the field.
            waitForText("ink must start with otpauth:// or igmobileotp://", substring = true)
            onNodeWithText("Add identity?").assertDoesNotExist()
            assertEquals(TokenStatus.NoToken, desk.token.session.status())
        }
    }

    @Test
    fun anOpenedPngOfTheQrCodeIsConfirmedThenAdded() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            desk.chosenFile = File.createTempFile("activation", ".png").also { ImageIO.write(qrImage(issued.link), "png", it) }
            setContent { DesktopContent(desk.app, desk.hooks) }
            openAdd()
            onNodeWithText("Open a picture…").performClick()
            confirmAndFinish(issued, desk)
        }
    }

    @Test
    fun aPictureWithoutAQrCodeIsSaidInWords() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            desk.chosenFile = File.createTempFile("holiday", ".png").also {
                ImageIO.write(BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB), "png", it)
            }
            setContent { DesktopContent(desk.app, desk.hooks) }
            openAdd()
            onNodeWithText("Open a picture…").performClick()
            waitForText("No QR code was found in ${desk.chosenFile!!.name}.")
            desk.chosenFile = File.createTempFile("notes", ".png").also { it.writeText("not a picture") }
            onNodeWithText("Open a picture…").performClick()
            waitForText("${desk.chosenFile!!.name} is not a picture Tessera can read (use a PNG or JPEG file).")
            assertEquals(TokenStatus.NoToken, desk.token.session.status())
        }
    }

    @Test
    fun aDroppedJpegIsReadLikeAnOpenedOne() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            val jpeg = File.createTempFile("activation", ".jpg").also { ImageIO.write(qrImage(issued.link), "jpg", it) }
            setContent { DesktopContent(desk.app, desk.hooks) }
            openAdd()
            // What the window's drop target receives from a file manager: a list of files.
            val dropped = transferable(DataFlavor.javaFileListFlavor, listOf(jpeg))
            runOnIdle { desk.app.addFromImage(imageIn(dropped), "the dropped file") }
            confirmAndFinish(issued, desk)
        }
    }

    @Test
    fun anImagePastedFromTheClipboardIsConfirmedThenAdded() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        DesktopUnderTest().use { desk ->
            val image: Image = qrImage(issued.link)
            Toolkit.getDefaultToolkit().systemClipboard.setContents(transferable(DataFlavor.imageFlavor, image), null)
            setContent { DesktopContent(desk.app, desk.hooks) }
            openAdd()
            onNodeWithText("Paste a picture").performClick()
            confirmAndFinish(issued, desk)
        }
    }

    @Test
    fun scanningTheScreenReadsTheQrCodeInAnotherWindow() = runComposeUiTest {
        val issued = issuer.issueSeedIdentity()
        // Another program's window showing the QR code (a browser's activation page), on the
        // test's X display; the app captures the real screen with java.awt.Robot.
        val frame = JFrame("Activation")
        SwingUtilities.invokeAndWait {
            frame.contentPane.add(JLabel(ImageIcon(qrImage(issued.link))))
            frame.setLocation(40, 40)
            frame.pack()
            frame.isVisible = true
        }
        try {
            DesktopUnderTest(RobotScreens).use { desk ->
                setContent { DesktopContent(desk.app, desk.hooks) }
                openAdd()
                Thread.sleep(500) // the window manager-less display draws the frame
                onNodeWithText("Scan the screen").performClick()
                confirmAndFinish(issued, desk)
            }
        } finally {
            SwingUtilities.invokeAndWait { frame.dispose() }
        }
    }

    @Test
    fun aScreenWithoutAQrCodeIsSaidInWords() = runComposeUiTest {
        val blank = ScreenSource { listOf(BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB)) }
        DesktopUnderTest(blank).use { desk ->
            setContent { DesktopContent(desk.app, desk.hooks) }
            openAdd()
            onNodeWithText("Scan the screen").performClick()
            waitForText("No QR code was found on the screen. Show the QR code on the screen and scan again.")
        }
    }

    @Test
    fun aLinkOnTheCommandLineOpensTheConfirmationPage() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            desk.app.openLink(Typed.OTPAUTH)
            setContent { DesktopContent(desk.app, desk.hooks) }
            waitForText("Add Example: alice@example.com?")
            onNodeWithText("Add").performClick()
            waitForText("Choose a PIN")
            choosePin()
            waitForText("Identity added")
            assertEquals(listOf("alice@example.com"), desk.token.session.identities().map { it.name })
        }
    }

    private fun ComposeUiTest.pasteLink(link: String) {
        waitForText("No identities yet")
        onNodeWithText("Add identity").performClick()
        waitForText("Paste a link")
        onNodeWithText("Paste a link").performClick()
        field("Link").performTextInput(link)
        field("Link").performKeyInput { pressKey(Key.Enter) }
    }

    private fun ComposeUiTest.openAdd() {
        waitForText("No identities yet")
        onNodeWithText("Add identity").performClick()
        waitForText("Scan the screen")
    }

    private fun ComposeUiTest.confirmAndFinish(issued: IssuedIdentity, desk: DesktopUnderTest) {
        waitForText("Add identity?")
        waitForText("The password that came with the link is asked next.")
        onNodeWithText("Add").performClick()
        finishWithPassword(issued, desk)
    }

    private fun ComposeUiTest.finishWithPassword(issued: IssuedIdentity, desk: DesktopUnderTest) {
        waitForText("Link password")
        field("Password").performTextInput(issued.password)
        field("Password").performKeyInput { pressKey(Key.Enter) }
        waitForText("Choose a PIN")
        choosePin()
        waitForText("Registration code")
        issuer.complete(issued.serial, textMatching(Regex("""\d{5}-\d{5}""")))
        onNodeWithText("Next").performClick()
        waitForText("Identity added")
        val identity = desk.token.session.identities().single()
        assertEquals(issued.serial, identity.serial)
        val t = now()
        assertEquals(0L, issuer.verify(issued.serial, desk.token.session.codeAt(identity.id, t).code, t))
    }

    private fun transferable(flavor: DataFlavor, data: Any) = object : Transferable {
        override fun getTransferDataFlavors() = arrayOf(flavor)
        override fun isDataFlavorSupported(f: DataFlavor) = f == flavor
        override fun getTransferData(f: DataFlavor) = data
    }
}
