package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The scanner's camera choice and its binding only while on screen. */
class ScanCameraTest {
    @Test
    fun rearThenFrontThenNone() {
        assertEquals(CameraFacing.Back, chooseScanCamera(hasBack = true, hasFront = true))
        assertEquals(CameraFacing.Back, chooseScanCamera(hasBack = true, hasFront = false))
        assertEquals(CameraFacing.Front, chooseScanCamera(hasBack = false, hasFront = true))
        assertNull(chooseScanCamera(hasBack = false, hasFront = false))
    }

    @Test
    fun aProviderArrivingAfterTheScannerLeftBindsNothing() {
        val stay = ScannerStay()
        var released = 0
        stay.leave { released++ }
        var started = 0
        assertFalse(stay.bind { started++ })
        assertEquals(0, started)
        assertEquals(0, released, "nothing was bound, so nothing is released")
    }

    @Test
    fun aBoundCameraIsReleasedOnceWhenTheScannerLeaves() {
        val stay = ScannerStay()
        var started = 0
        assertTrue(stay.bind { started++ })
        assertFalse(stay.bind { started++ }, "bound once only")
        var released = 0
        stay.leave { released++ }
        stay.leave { released++ }
        assertEquals(1, started)
        assertEquals(1, released)
    }

    @Test
    fun aFailedBindLeavesNothingToRelease() {
        val stay = ScannerStay()
        runCatching { stay.bind { throw IllegalArgumentException("no camera matches the selector") } }
        var released = 0
        stay.leave { released++ }
        assertEquals(0, released)
    }
}
