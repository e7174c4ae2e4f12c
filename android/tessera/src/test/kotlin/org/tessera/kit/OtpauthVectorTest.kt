package org.tessera.kit

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.json.JSONObject
import org.tessera.ffi.FlowStep
import org.tessera.ffi.Algorithm
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenException
import org.tessera.ffi.steamCode
import org.tessera.ffi.totpCode

/**
 * tests/vectors/otpauth.json through the Add Identity flow's enter_link on one unlocked token:
 * valid links become identities with the expected name, issuer, kind, digits, period and
 * warnings (and codes from the JSON's independently decoded secret); invalid links are refused
 * with InvalidInput and the JSON's exact words (the one case that is not an otpauth link at
 * all gets the flow's own scheme message; see NOT_A_LINK).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtpauthVectorTest {
    private val file = Vectors.file("otpauth.json")
    private val session by lazy { newOtpauthToken().session.also { s -> s.identities().forEach { s.remove(it.id) } } }

    @AfterAll
    fun close() = session.close()

    private companion object {
        /** The flow's refusal of a text that is neither otpauth:// nor igmobileotp://. */
        const val NOT_A_LINK = "the link must start with otpauth:// or igmobileotp://"
    }

    private fun algorithm(expected: JSONObject) = when (val name = expected.getString("algorithm")) {
        "SHA1" -> Algorithm.SHA1
        "SHA256" -> Algorithm.SHA256
        "SHA512" -> Algorithm.SHA512
        else -> error("unknown algorithm $name")
    }

    @TestFactory
    fun validLinks(): List<DynamicTest> = file.getJSONArray("valid").objects().map { case ->
        dynamicTest(case.getString("name")) {
            val expected = case.getJSONObject("expected")
            val done = session.addIdentity().use { flow ->
                assertInstanceOf(FlowStep.Done::class.java, flow.enterLink(case.getString("uri")))
            }
            val identity = done.identity
            try {
                val account = expected.getString("account")
                val issuer = expected.stringOrNull("issuer")
                // The flow names an identity by its account, or by its issuer when the label has none.
                assertEquals(if (account.isBlank()) issuer else account, identity.name)
                assertEquals(issuer, identity.issuer)
                val kind = when (expected.getString("kind")) {
                    "totp" -> IdentityKindLabel.TOTP
                    "hotp" -> IdentityKindLabel.HOTP
                    "steam" -> IdentityKindLabel.STEAM
                    else -> error("unknown kind")
                }
                assertEquals(kind, identity.kind)
                assertEquals(expected.getInt("digits").toUByte(), identity.digits)
                val warnings = expected.getJSONArray("warnings").objects().map { it.getString("message") }
                assertEquals(warnings, done.warnings)
                assertEquals(done.identity, session.identities().single())

                val secret = "hex:" + expected.getString("secret_hex")
                when (kind) {
                    IdentityKindLabel.TOTP -> {
                        assertEquals(expected.getInt("period").toUInt(), identity.period)
                        val code = totpCode(secret, algorithm(expected), identity.digits!!, identity.period!!, Seed.T)
                        assertEquals(code, session.codeAt(identity.id, Seed.T).code)
                    }
                    IdentityKindLabel.STEAM -> assertEquals(steamCode(secret, Seed.T), session.codeAt(identity.id, Seed.T).code)
                    else -> {}
                }
            } finally {
                session.remove(identity.id)
            }
        }
    }

    @TestFactory
    fun invalidLinks(): List<DynamicTest> = file.getJSONArray("invalid").objects().map { case ->
        dynamicTest(case.getString("name")) {
            session.addIdentity().use { flow ->
                val error = assertThrows(TokenException.InvalidInput::class.java) {
                    flow.enterLink(case.getString("uri"))
                }
                assertEquals(InputField.LINK, error.field)
                if (case.getString("uri").startsWith("otpauth")) {
                    assertEquals(case.getString("error"), error.detail)
                } else {
                    // The flow reads any link, so a text that is not otpauth at all is refused by its
                    // scheme check before the otpauth parser (whose words the JSON holds) sees it.
                    assertEquals(NOT_A_LINK, error.detail)
                }
                assertEquals(FlowStep.Start, flow.step())
            }
            assertEquals(emptyList<Any>(), session.identities())
        }
    }
}
