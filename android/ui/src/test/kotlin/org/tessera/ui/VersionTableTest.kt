package org.tessera.ui

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * docs/building.md's version table against the files that use the versions: the Android app's
 * version catalog, wrapper and build file, and the JVM builds' poms. The screens are compiled
 * and rendered here with the Compose the app ships, so both columns must name the same Compose.
 */
class VersionTableTest {
    private val table = RepoFiles.markdownTable("docs/building.md", "### Versions")
    private val catalog = RepoFiles.catalogVersions("android/app/gradle/libs.versions.toml")
    private val library = "android/tessera/pom.xml"
    private val screens = "android/ui/pom.xml"
    private val desktop = "desktop/pom.xml"

    private fun app(row: String) = requireNotNull(table[row]) { "no row '$row' in the version table" }[0]
    private fun jvm(row: String) = requireNotNull(table[row]) { "no row '$row' in the version table" }[1]

    @Test
    fun theGradleBuildUsesTheTablesVersions() {
        val wrapper = RepoFiles.text("android/app/gradle/wrapper/gradle-wrapper.properties")
        val gradle = Regex("""gradle-([\d.]+)-(bin|all)\.zip""").find(wrapper)?.groupValues?.get(1)
        assertEquals(app("Gradle"), gradle)
        assertEquals(app("Android Gradle Plugin"), catalog["agp"])
        assertEquals(app("Kotlin"), catalog["kotlin"])
        assertEquals(app("Compose BOM"), catalog["compose-bom"])
        assertEquals(app("kotlinx-coroutines"), catalog["coroutines"])
        assertEquals(app("JNA"), catalog["jna"])
        val build = RepoFiles.text("android/app/build.gradle.kts")
        for (sdk in listOf("compileSdk", "targetSdk")) {
            assertEquals(app("compile and target SDK"), Regex("""$sdk = (\d+)""").find(build)?.groupValues?.get(1), sdk)
        }
    }

    @Test
    fun theJvmBuildsUseTheTablesVersions() {
        for (pom in listOf(library, screens, desktop)) {
            assertEquals(jvm("Kotlin"), RepoFiles.pomProperty(pom, "kotlin.version"), pom)
            assertEquals(jvm("kotlinx-coroutines"), RepoFiles.pomProperty(pom, "coroutines.version"), pom)
        }
        assertEquals(jvm("JNA"), RepoFiles.pomProperty(library, "jna.version"))
        assertEquals(jvm("Compose"), RepoFiles.pomProperty(screens, "compose.version"))
        assertEquals(jvm("Compose"), RepoFiles.pomProperty(desktop, "compose.version"))
        assertEquals(jvm("Material icons"), RepoFiles.pomProperty(screens, "compose.icons.version"))
        assertEquals(jvm("Material 3"), RepoFiles.pomProperty(screens, "compose.material3.version"))
    }

    @Test
    fun bothColumnsNameTheSameKotlinComposeAndLibraries() {
        for (row in listOf("Kotlin", "Compose", "kotlinx-coroutines", "JNA")) {
            assertEquals(app(row), jvm(row), row)
        }
        // JetBrains numbers its Material 3 build after the Compose release it ships with.
        assertEquals(minor(jvm("Compose")), minor(jvm("Material 3")))
    }

    private fun minor(version: String) = version.split(".").take(2).joinToString(".")
}
