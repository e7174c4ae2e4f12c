package org.tessera.kit

import java.io.File
import org.json.JSONArray
import org.json.JSONObject

/** The JSON files in tests/vectors, shared with the Rust and Swift suites (path set by the pom). */
object Vectors {
    private val dir: File = File(
        System.getProperty("tessera.vectors.dir")
            ?: error("tessera.vectors.dir is not set: run the tests through Maven"),
    )

    /** One vector file, parsed. */
    fun file(name: String): JSONObject = JSONObject(File(dir, name).readText())

    /** The `cases` array of a vector file. */
    fun cases(name: String): List<JSONObject> = file(name).getJSONArray("cases").objects()
}

/** The objects of a JSON array. */
fun JSONArray.objects(): List<JSONObject> = (0 until length()).map { getJSONObject(it) }

/** A string field that may be null. */
fun JSONObject.stringOrNull(key: String): String? = if (isNull(key)) null else getString(key)

/** Bytes of a hex string. */
fun hexBytes(hex: String): ByteArray =
    ByteArray(hex.length / 2) { hex.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
