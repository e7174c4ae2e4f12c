package org.tessera.ui

import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.text.TextLayoutResult
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import java.nio.file.Files
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenSession
import org.tessera.kit.SettingsViewModel

/**
 * The settings page on a 360 dp wide phone (the narrowest common width), light and dark: every
 * element stays inside the screen and no button or chip label is squeezed onto a second line.
 */
class NarrowScreenTest {
    @Test
    fun settingsFitA360DpScreen() = runTest {
        val session = TokenSession(Files.createTempDirectory("tessera-narrow").toString(), SoftwareKeyProtector())
        session.addIdentity().use { flow ->
            flow.enterLink(Scenes.GITHUB)
            flow.setPin(Scenes.PIN)
            flow.confirmPin(Scenes.PIN)
        }
        val settings = SettingsViewModel(session, this, StandardTestDispatcher(testScheduler))
        settings.refresh().join()
        val state = settings.state.value
        requireNotNull(state.settings) { "the settings were not read" }
        val actions = SettingsActions({ _, _, _ -> }, {}, {}, { _, _ -> }, { _ -> }, {}, {})

        for (dark in listOf(false, true)) {
            val problems = layoutProblems(dark) { SettingsPage(state, actions) }
            assertTrue(problems.isEmpty(), "at 360 dp (dark: $dark): $problems")
        }
        session.close()
    }

    @OptIn(ExperimentalComposeUiApi::class)
    private fun layoutProblems(dark: Boolean, content: @androidx.compose.runtime.Composable () -> Unit): List<String> =
        ImageComposeScene(WIDTH_PX, HEIGHT_PX, Density(DENSITY)).use { scene ->
            scene.setContent { TesseraTheme(dark = dark) { content() } }
            scene.render()
            val problems = mutableListOf<String>()
            var clickables = 0
            // Text inside a button, chip or switch row must stay on one line; other text may wrap.
            fun visit(node: SemanticsNode, inControl: Boolean) {
                val control = inControl || node.config.getOrNull(SemanticsProperties.Role) != null
                if (node.config.getOrNull(SemanticsActions.OnClick) != null) clickables++
                val label = node.config.getOrNull(SemanticsProperties.Text)?.joinToString { it.text }
                val bounds = node.boundsInRoot
                if (bounds.width > 0f && (bounds.left < -0.5f || bounds.right > WIDTH_PX + 0.5f)) {
                    problems += "'${label ?: node.id}' spans ${bounds.left}..${bounds.right} px of $WIDTH_PX"
                }
                if (control && label != null) {
                    val layouts = mutableListOf<TextLayoutResult>()
                    node.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
                    val layout = layouts.firstOrNull()
                    if (layout != null && layout.lineCount > 1) {
                        problems += "'$label' is squeezed onto ${layout.lineCount} lines"
                    }
                }
                node.children.forEach { visit(it, control) }
            }
            scene.semanticsOwners.forEach { visit(it.unmergedRootSemanticsNode, false) }
            assertTrue(clickables >= 10, "the page's buttons were found ($clickables)")
            problems
        }

    private companion object {
        const val DENSITY = 3f
        const val WIDTH_PX = 1080 // 360 dp at density 3
        const val HEIGHT_PX = 7200 // tall enough to lay out the whole scrolling page
    }
}
