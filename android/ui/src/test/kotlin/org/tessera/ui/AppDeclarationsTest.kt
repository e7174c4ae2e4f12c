package org.tessera.ui

import androidx.compose.ui.graphics.toArgb
import androidx.compose.ui.graphics.vector.PathParser
import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.w3c.dom.Element

/**
 * What the never-compiled Android app declares, read from its files: what Google Play and the
 * build require (SDK 36, optional camera features, predictive back, AndroidX, the wrapper), the
 * launcher icon, the window theme's colours, and the store listing with its privacy policy.
 */
class AppDeclarationsTest {
    private val android = "http://schemas.android.com/apk/res/android"
    private val manifest = RepoFiles.xml("android/app/src/main/AndroidManifest.xml").documentElement
    private val res = "android/app/src/main/res"

    private fun Element.attr(name: String) = getAttributeNS(android, name)

    private fun elements(tag: String): List<Element> =
        manifest.getElementsByTagName(tag).let { list -> (0 until list.length).map { list.item(it) as Element } }

    @Test
    fun cameraFeaturesAreOptionalSoPlayListsDevicesWithoutARearCamera() {
        val features = elements("uses-feature").associate { it.attr("name") to it.attr("required") }
        for (feature in listOf("android.hardware.camera", "android.hardware.camera.autofocus", "android.hardware.camera.any")) {
            assertEquals("false", features[feature], feature)
        }
        val permissions = elements("uses-permission").map { it.attr("name") }
        assertEquals(listOf("android.permission.CAMERA"), permissions, "no other permission, no network")
    }

    @Test
    fun theApplicationTakesPredictiveBackAndHasItsIconAndTheme() {
        val application = elements("application").single()
        assertEquals("true", application.attr("enableOnBackInvokedCallback"))
        assertEquals("false", application.attr("allowBackup"))
        assertEquals("@mipmap/ic_launcher", application.attr("icon"))
        assertEquals("@style/Theme.Tessera", application.attr("theme"))
        for (folder in listOf("values", "values-night")) {
            assertTrue(RepoFiles.text("$res/$folder/themes.xml").contains("<style name=\"Theme.Tessera\""), folder)
        }
    }

    @Test
    fun theWindowBackgroundMatchesEachColourScheme() {
        for ((folder, scheme) in listOf("values" to TesseraLight, "values-night" to TesseraDark)) {
            val color = RepoFiles.xml("$res/$folder/colors.xml").documentElement.getElementsByTagName("color").item(0)
            assertEquals(String.format("#%08X", scheme.background.toArgb()), color.textContent.trim().uppercase(), folder)
        }
    }

    @Test
    fun theLauncherIconIsAdaptiveWithVectorLayersInsideTheSafeZone() {
        val icon = RepoFiles.xml("$res/mipmap-anydpi-v26/ic_launcher.xml").documentElement
        assertEquals("adaptive-icon", icon.tagName)
        val layers = listOf("background", "foreground", "monochrome").associateWith { tag ->
            (icon.getElementsByTagName(tag).item(0) as Element).attr("drawable").removePrefix("@drawable/")
        }
        for ((layer, drawable) in layers) {
            val vector = LauncherIcon.layer(drawable)
            assertEquals(108f, vector.viewport, layer)
            assertTrue(vector.paths.isNotEmpty(), layer)
        }
        // Launchers may cut the layers to a 66 dp circle around the centre of the 108 dp square.
        for (layer in listOf("foreground", "monochrome")) {
            for (path in LauncherIcon.layer(layers.getValue(layer)).paths) {
                val bounds = PathParser().parsePathString(path.data).toPath().getBounds()
                for ((x, y) in listOf(bounds.left to bounds.top, bounds.right to bounds.top, bounds.left to bounds.bottom, bounds.right to bounds.bottom)) {
                    val distance = Math.hypot((x - 54f).toDouble(), (y - 54f).toDouble())
                    assertTrue(distance <= 33.0, "$layer reaches ${"%.1f".format(distance)} dp from the centre")
                }
            }
        }
    }

    @Test
    fun theBuildIsReadyForGradleAndAndroidStudio() {
        val properties = RepoFiles.text("android/app/gradle.properties")
        assertTrue(Regex("""(?m)^android\.useAndroidX=true$""").containsMatchIn(properties))
        assertTrue(Regex("""(?m)^org\.gradle\.jvmargs=.*-Xmx""").containsMatchIn(properties))
        for (script in listOf("gradlew", "gradlew.bat")) RepoFiles.file("android/app/$script")
        assertTrue(File(RepoFiles.root, "android/app/gradlew").canExecute(), "gradlew is executable")
        val build = RepoFiles.text("android/app/build.gradle.kts")
        assertFalse(build.contains("jvmToolchain"), "a toolchain Android Studio's JDK 21 cannot provide")
        assertFalse(build.contains("kotlin.android"), "AGP 9 compiles Kotlin itself")
    }

    @Test
    fun theListingFitsPlaysLimitsAndLinksThePrivacyPolicy() {
        val listing = "android/app/fastlane/metadata/android/en-US"
        for ((file, limit) in listOf("title.txt" to 30, "short_description.txt" to 80, "full_description.txt" to 4000)) {
            val text = RepoFiles.text("$listing/$file").trim()
            assertTrue(text.isNotEmpty() && text.length <= limit, "$file: ${text.length} characters, Play allows $limit")
        }
        assertTrue(RepoFiles.text("$listing/full_description.txt").contains(PRIVACY_POLICY_URL))
        val policy = RepoFiles.text("docs/privacy.md")
        for (topic in listOf("## What Tessera collects", "Camera", "Clipboard", "## Network")) {
            assertTrue(policy.contains(topic), "docs/privacy.md covers $topic")
        }
    }
}
