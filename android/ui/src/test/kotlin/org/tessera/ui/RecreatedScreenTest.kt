package org.tessera.ui

import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import java.nio.file.Files
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.jetbrains.skia.EncodedImageFormat
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenSession
import org.tessera.kit.AppModel
import org.tessera.kit.AppPage
import org.tessera.kit.MemoryClipboard
import org.tessera.kit.UnlockScreen

/**
 * A rotation on Android: the activity and its composition are thrown away and drawn again from
 * the same AppModel (kept by the ViewModel). The new composition shows exactly the same page,
 * including a recovery key shown only once, with no PIN asked again.
 */
class RecreatedScreenTest {
    @Test
    fun aNewCompositionOfTheSameModelDrawsTheSamePage() = runTest {
        val session = TokenSession(Files.createTempDirectory("tessera-rotation").toString(), SoftwareKeyProtector())
        session.addIdentity().use { flow ->
            flow.enterLink(Scenes.GITHUB)
            flow.setPin(Scenes.PIN)
            flow.confirmPin(Scenes.PIN)
        }
        val model = AppModel(session, backgroundScope, MemoryClipboard(), work = StandardTestDispatcher(testScheduler), codeClock = { Scenes.TIME })
        runCurrent()
        model.openSettings()
        val settings = (model.page.value as AppPage.Settings).vm
        settings.makeRecoveryKey(Scenes.PIN).join()
        runCurrent()
        val key = requireNotNull(settings.state.value.recoveryKey) { "no recovery key" }

        val (before, _) = draw(model)
        val (after, texts) = draw(model)
        assertArrayEquals(before, after, "the recreated screen differs")
        assertTrue(key in texts, "the recovery key is on the recreated screen")
        assertEquals(UnlockScreen.Unlocked(), model.unlock.state.value)
        model.close()
    }

    /** The page's picture and every text on it. */
    @OptIn(ExperimentalComposeUiApi::class)
    private fun draw(model: AppModel): Pair<ByteArray, Set<String>> =
        ImageComposeScene(1080, 2160, Density(2.5f)).use { scene ->
            scene.setContent { TesseraTheme(dark = false) { TesseraApp(model) } }
            val png = requireNotNull(scene.render().encodeToData(EncodedImageFormat.PNG)).bytes
            val texts = mutableSetOf<String>()
            fun visit(node: SemanticsNode) {
                node.config.getOrNull(SemanticsProperties.Text)?.forEach { texts += it.text }
                node.children.forEach(::visit)
            }
            scene.semanticsOwners.forEach { visit(it.unmergedRootSemanticsNode) }
            png to texts
        }
}
