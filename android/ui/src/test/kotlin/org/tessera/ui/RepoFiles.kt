package org.tessera.ui

import java.io.File
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Document
import org.w3c.dom.Element

/** The repository's files, for the tests that check the Android app's declarations. */
object RepoFiles {
    val root: File = File(requireNotNull(System.getProperty("tessera.repo.dir")) { "tessera.repo.dir is not set" }).canonicalFile

    fun file(path: String): File = File(root, path).also { require(it.isFile) { "missing $path" } }

    fun text(path: String): String = file(path).readText()

    fun xml(path: String): Document =
        DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }.newDocumentBuilder().parse(file(path))

    /** The `[versions]` table of a Gradle version catalog. */
    fun catalogVersions(path: String): Map<String, String> {
        val versions = mutableMapOf<String, String>()
        var inVersions = false
        for (line in text(path).lines().map { it.trim() }) {
            if (line.startsWith("[")) inVersions = line == "[versions]"
            val match = Regex("""^([\w.-]+)\s*=\s*"([^"]+)"$""").find(line)
            if (inVersions && match != null) versions[match.groupValues[1]] = match.groupValues[2]
        }
        return versions
    }

    /** One `<properties>` value of a Maven pom. */
    fun pomProperty(path: String, name: String): String {
        val properties = xml(path).documentElement.getElementsByTagName("properties").item(0) as Element
        return requireNotNull(properties.getElementsByTagName(name).item(0)) { "$path has no property $name" }.textContent.trim()
    }

    /** The rows of the first Markdown table under [heading] in [path]: first cell to the others. */
    fun markdownTable(path: String, heading: String): Map<String, List<String>> {
        val lines = text(path).lines()
        val start = lines.indexOfFirst { it.trim() == heading }
        require(start >= 0) { "$path has no heading $heading" }
        return lines.drop(start + 1)
            .dropWhile { !it.startsWith("|") }
            .takeWhile { it.startsWith("|") }
            .drop(2)
            .associate { row ->
                val cells = row.trim().removePrefix("|").removeSuffix("|").split("|").map { it.trim().trim('`') }
                cells.first() to cells.drop(1)
            }
    }
}
