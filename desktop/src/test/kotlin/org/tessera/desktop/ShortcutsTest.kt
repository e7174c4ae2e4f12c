package org.tessera.desktop

import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import androidx.compose.ui.test.runComposeUiTest
import androidx.compose.ui.test.withKeyDown
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import java.awt.datatransfer.StringSelection
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep

/**
 * The desktop's keyboard over a token with two identities: Ctrl+F searches by name or issuer
 * (the core decides what matches), Escape closes the search and goes back a page, and a copied
 * code is left on the clipboard when the person copied something else since.
 */
@OptIn(ExperimentalTestApi::class)
class ShortcutsTest {
    private fun DesktopUnderTest.withTwoIdentities() {
        val session = token.session
        session.addIdentity().use { flow ->
            flow.enterLink(Typed.OTPAUTH)
            flow.setPin(Typed.PIN)
            flow.confirmPin(Typed.PIN)
        }
        session.addIdentity().use { flow ->
            assertEquals(
                FlowStep.Done::class,
                flow.enterLink("otpauth://totp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank")::class,
            )
        }
        app.model.backToList()
    }

    @Test
    fun ctrlFFindsIdentitiesAndEscapeClosesTheSearch() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            desk.withTwoIdentities()
            setContent { DesktopContent(desk.app, desk.hooks) }
            waitForText("bob")
            waitForText("alice@example.com")

            onRoot().performKeyInput { withKeyDown(Key.CtrlLeft) { pressKey(Key.F) } }
            waitUntil(timeoutMillis = 5_000) { onAllNodesWithText("Search identities").fetchSemanticsNodes().isNotEmpty() }
            onNodeWithTag("search").performTextInput("BANK")
            waitUntil(timeoutMillis = 5_000) { onAllNodesWithText("alice@example.com").fetchSemanticsNodes().isEmpty() }
            onNodeWithText("bob").assertExists()

            onRoot().performKeyInput { pressKey(Key.Escape) }
            waitForText("alice@example.com")
            onNodeWithText("bob").assertExists()
            assertEquals(null, desk.app.search.value)
        }
    }

    @Test
    fun escapeGoesBackFromAPageToTheList() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            desk.withTwoIdentities()
            setContent { DesktopContent(desk.app, desk.hooks) }
            waitForText("bob")
            onAllNodesWithText("Details")[0].performClick()
            waitForText("Rename", substring = true)
            onRoot().performKeyInput { pressKey(Key.Escape) }
            waitForText("Tap to show the code", substring = true)
        }
    }

    @Test
    fun aCodeIsLeftOnTheClipboardWhenSomethingElseWasCopiedSince() = runComposeUiTest {
        DesktopUnderTest().use { desk ->
            desk.withTwoIdentities()
            setContent { DesktopContent(desk.app, desk.hooks) }
            waitForText("bob")
            onAllNodesWithText("Tap to show the code")[0].performClick()
            waitUntil(timeoutMillis = 10_000) { texts().any { Regex("""\d{3} \d{3}""").matches(it) } }
            onRoot().performKeyInput { withKeyDown(Key.CtrlLeft) { pressKey(Key.C) } }
            val board = Toolkit.getDefaultToolkit().systemClipboard
            waitUntil(timeoutMillis = 5_000) { (board.getData(DataFlavor.stringFlavor) as String).length == 6 }
            board.setContents(StringSelection("a note the person copied"), null)
            Thread.sleep(32_000)
            assertEquals("a note the person copied", board.getData(DataFlavor.stringFlavor))
        }
    }
}
