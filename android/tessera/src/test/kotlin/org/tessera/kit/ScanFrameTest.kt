package org.tessera.kit

import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep
import org.tessera.ffi.InputField
import org.tessera.ffi.TokenSession

/**
 * Camera frames through Add Identity: a luminance plane holding a QR code drawn by ZXing (an
 * encoder independent of the core's reader), with row padding as cameras deliver it.
 */
class ScanFrameTest {
    @Test
    fun aFrameWithTheLinksQrCodeAddsItsIdentity() = runTest {
        val token = newOtpauthToken()
        val link = "otpauth://totp/Acme%20VPN:alice@acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20VPN"
        val vm = AddIdentityViewModel(token.session.addIdentity(), this, StandardTestDispatcher(testScheduler))
        val frame = Frame.of(link)
        vm.scanFrame(frame.width, frame.height, frame.rowStride, frame.luma).join()
        val done = assertInstanceOf(FlowStep.Done::class.java, vm.state.value.step)
        assertEquals("Acme VPN", done.identity.issuer)
        assertEquals("alice@acme.example", done.identity.name)
        token.session.close()
    }

    @Test
    fun aFirstIdentityScannedGoesOnToChoosingThePin() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            val vm = AddIdentityViewModel(session.addIdentity(), this, StandardTestDispatcher(testScheduler))
            val frame = Frame.of(Seed.OTPAUTH)
            vm.scanFrame(frame.width, frame.height, frame.rowStride, frame.luma).join()
            assertEquals(FlowStep.NeedsPin, vm.state.value.step)
        }
    }

    @Test
    fun aFrameWithoutACodeChangesNothingAndABadFrameIsNamed() = runTest {
        TokenSession(tokenFolder().toString(), null).use { session ->
            val vm = AddIdentityViewModel(session.addIdentity(), this, StandardTestDispatcher(testScheduler))
            vm.scanFrame(64, 48, 64, ByteArray(64 * 48) { 200.toByte() }).join()
            assertEquals(AddIdentityScreen(FlowStep.Start), vm.state.value)

            vm.scanFrame(64, 48, 32, ByteArray(64 * 48)).join()
            assertEquals(FlowStep.Start, vm.state.value.step)
            assertEquals(InputField.ROW_STRIDE, vm.state.value.error?.field)
            assertNull(vm.state.value.confirmLink)
        }
    }

    /** A grey-scale camera frame: [rowStride] bytes a row, the last bytes of each row unused. */
    private class Frame(val width: Int, val height: Int, val rowStride: Int, val luma: ByteArray) {
        companion object {
            fun of(text: String, scale: Int = 4, padding: Int = 24): Frame {
                val matrix = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, mapOf(EncodeHintType.MARGIN to 4))
                val width = matrix.width * scale
                val height = matrix.height * scale
                val stride = width + padding
                val luma = ByteArray(stride * height) { 0x33 }
                for (y in 0 until height) {
                    for (x in 0 until width) {
                        val dark = matrix.get(x / scale, y / scale)
                        luma[y * stride + x] = (if (dark) 20 else 235).toByte()
                    }
                }
                return Frame(width, height, stride, luma)
            }
        }
    }
}
