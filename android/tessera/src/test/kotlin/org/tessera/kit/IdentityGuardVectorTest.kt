package org.tessera.kit

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.tessera.ffi.FlowStep
import org.tessera.ffi.IdentityKindLabel
import org.tessera.ffi.identityguardCode

/**
 * tests/vectors/identityguard.json: the public derivation vector (spec/identityguard.md,
 * "Secret derivation") through identityguard_code, against TOTP computed here with
 * javax.crypto from the published secret; and the fixture activation links through the flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityGuardVectorTest {
    private val file = Vectors.file("identityguard.json")
    private val token by lazy { newOtpauthToken() }

    @AfterAll
    fun close() = token.session.close()

    @TestFactory
    fun derivationVectors(): List<DynamicTest> = file.getJSONArray("derivation").objects().map { case ->
        dynamicTest(case.getString("name")) {
            val secret = hexBytes(case.getString("secret_hex"))
            for (t in listOf(59L, 1_111_111_109L, 1_700_000_000L, 2_000_000_000L, 20_000_000_000L)) {
                for (digits in listOf(6, 8)) {
                    val code = identityguardCode(
                        case.getString("serial"),
                        case.getString("activation"),
                        case.getString("registration"),
                        case.stringOrNull("policy"),
                        digits.toUByte(),
                        t.toULong(),
                    )
                    assertEquals(independentTotp(secret, t, digits), code, "t=$t digits=$digits")
                }
            }
        }
    }

    @Test
    fun policyChangesTheCode() {
        val (withPolicy, without) = file.getJSONArray("derivation").objects()
        assertNotEquals(withPolicy.getString("secret_hex"), without.getString("secret_hex"))
        val code = { policy: String? ->
            identityguardCode(Seed.SERIAL, Seed.ACTIVATION, "12211-49352", policy, 6u, Seed.T)
        }
        assertEquals(independentTotp(hexBytes(without.getString("secret_hex")), Seed.T.toLong()), code(null))
        assertEquals(
            independentTotp(hexBytes(withPolicy.getString("secret_hex")), Seed.T.toLong()),
            code(withPolicy.getString("policy")),
        )
    }

    @TestFactory
    fun activationLinks(): List<DynamicTest> = file.getJSONArray("links").objects().map { link ->
        dynamicTest(link.getString("name")) {
            val session = token.session
            val expected = link.getJSONObject("expected")
            session.addIdentity().use { flow ->
                assertEquals(FlowStep.NeedsPassword, flow.enterLink(link.getString("uri")))
                val shown = assertInstanceOf(
                    FlowStep.ShowRegistrationCode::class.java,
                    flow.enterPassword(link.getString("password")),
                )
                val done = assertInstanceOf(FlowStep.Done::class.java, flow.finish())
                val identity = done.identity
                assertEquals(IdentityKindLabel.IDENTITY_GUARD, identity.kind)
                assertEquals(shown.name, identity.name)
                expected.stringOrNull("name")?.let { assertEquals(it, identity.name) }
                assertEquals(expected.stringOrNull("address"), identity.address)
                assertEquals(expected.getString("serial"), identity.serial?.replace("-", ""))
                assertEquals(shown.registrationCode, identity.registrationCode)
                assertEquals(!expected.isNull("policy"), identity.policyIncluded)
                // The issuer's computation, from the registration code the token showed.
                assertEquals(
                    identityguardCode(
                        expected.getString("serial"),
                        expected.getString("activation"),
                        shown.registrationCode,
                        expected.stringOrNull("policy"),
                        6u,
                        Seed.T,
                    ),
                    session.codeAt(identity.id, Seed.T).code,
                )
                session.remove(identity.id)
            }
        }
    }
}
