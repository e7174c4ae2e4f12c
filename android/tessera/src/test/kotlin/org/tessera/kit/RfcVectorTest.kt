package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.json.JSONObject
import org.tessera.ffi.Algorithm
import org.tessera.ffi.hotpCode
import org.tessera.ffi.ocraResponse
import org.tessera.ffi.totpCode

/**
 * The RFC vectors through the generated free functions: every case of tests/vectors/
 * rfc4226-hotp.json (RFC 4226 Appendix D), rfc6238-totp.json (RFC 6238 Appendix B) and
 * rfc6287-ocra.json (RFC 6287 Appendix C), secrets passed as "hex:...".
 */
class RfcVectorTest {
    private fun algorithm(case: JSONObject): Algorithm = when (val name = case.getString("algorithm")) {
        "SHA1" -> Algorithm.SHA1
        "SHA256" -> Algorithm.SHA256
        "SHA512" -> Algorithm.SHA512
        else -> error("unknown algorithm $name")
    }

    private fun secret(case: JSONObject) = "hex:" + case.getString("secret_hex")

    @TestFactory
    fun rfc4226Hotp(): List<DynamicTest> = Vectors.cases("rfc4226-hotp.json").also {
        assertEquals(10, it.size)
    }.map { case ->
        dynamicTest("HOTP counter ${case.getLong("counter")}") {
            val code = hotpCode(
                secret(case),
                case.getLong("counter").toULong(),
                algorithm(case),
                case.getInt("digits").toUByte(),
            )
            assertEquals(case.getString("expected"), code)
        }
    }

    @TestFactory
    fun rfc6238Totp(): List<DynamicTest> = Vectors.cases("rfc6238-totp.json").also {
        assertEquals(18, it.size)
    }.map { case ->
        dynamicTest("TOTP ${case.getString("algorithm")} at ${case.getLong("time")}") {
            assertEquals(0, case.getInt("t0"))
            val code = totpCode(
                secret(case),
                algorithm(case),
                case.getInt("digits").toUByte(),
                case.getInt("step").toUInt(),
                case.getLong("time").toULong(),
            )
            assertEquals(case.getString("expected"), code)
        }
    }

    @TestFactory
    fun rfc6287Ocra(): List<DynamicTest> = Vectors.cases("rfc6287-ocra.json").also {
        assertEquals(70, it.size)
    }.mapIndexed { index, case ->
        val suite = case.getString("suite")
        dynamicTest("OCRA #$index $suite ${case.getString("mode")} ${case.getString("question")}") {
            // Timestamps are printed in the suite's steps; every T suite in the RFC uses minutes.
            val unixTime = if (case.isNull("timestamp")) {
                null
            } else {
                assertEquals("1M", case.getString("time_step"))
                (case.getLong("timestamp") * 60).toULong()
            }
            val response = ocraResponse(
                suite,
                secret(case),
                case.getString("question"),
                if (case.isNull("counter")) null else case.getLong("counter").toULong(),
                case.stringOrNull("password"),
                null,
                null,
                unixTime,
            )
            assertEquals(case.getString("expected"), response)
            // The same response from the PIN's hash given directly.
            case.stringOrNull("password_hash_hex")?.let { hash ->
                val hashed = ocraResponse(
                    suite,
                    secret(case),
                    case.getString("question"),
                    if (case.isNull("counter")) null else case.getLong("counter").toULong(),
                    null,
                    hash,
                    null,
                    unixTime,
                )
                assertEquals(case.getString("expected"), hashed)
            }
        }
    }
}
