package org.tessera.kit

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * RFC 6238 TOTP written out in the test with javax.crypto only, to check the core against a
 * computation it had no part in: counter = time / period, HMAC, dynamic truncation (RFC 4226
 * section 5.3), modulo 10^digits, zero-padded.
 */
fun independentTotp(secret: ByteArray, unixTime: Long, digits: Int = 6, period: Long = 30, mac: String = "HmacSHA256"): String {
    val counter = unixTime / period
    val message = ByteArray(8) { (counter ushr (56 - 8 * it)).toByte() }
    val hmac = Mac.getInstance(mac).apply { init(SecretKeySpec(secret, mac)) }.doFinal(message)
    val offset = hmac.last().toInt() and 0x0f
    val value = ((hmac[offset].toInt() and 0x7f) shl 24) or
        ((hmac[offset + 1].toInt() and 0xff) shl 16) or
        ((hmac[offset + 2].toInt() and 0xff) shl 8) or
        (hmac[offset + 3].toInt() and 0xff)
    var modulus = 1
    repeat(digits) { modulus *= 10 }
    return (value % modulus).toString().padStart(digits, '0')
}
