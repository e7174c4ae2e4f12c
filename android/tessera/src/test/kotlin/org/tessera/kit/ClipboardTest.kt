package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** When a copied code is cleared: by what the platform can read back, else by the app's record. */
class ClipboardTest {
    @Test
    fun aReadableClipboardIsClearedOnlyWhileItHoldsTheCopy() {
        val clipboard = MemoryClipboard()
        val copy = clipboard.copy("123456")
        assertTrue(clipboard.clearIfStillHolds(copy))
        assertNull(clipboard.current())
        assertFalse(clipboard.clearIfStillHolds(copy), "cleared once")

        val replaced = clipboard.copy("654321")
        clipboard.copiedElsewhere("654321")
        assertFalse(clipboard.clearIfStillHolds(replaced), "the same text copied elsewhere is not ours")
        assertEquals("654321", clipboard.current())
    }

    @Test
    fun anUnreadableClipboardIsClearedByTheAppsRecord() {
        val clipboard = MemoryClipboard()
        val first = clipboard.copy("111111")
        val second = clipboard.copy("222222")
        clipboard.readable = false
        assertFalse(clipboard.clearIfStillHolds(first), "a later copy of the app supersedes it")
        assertEquals("222222", clipboard.current())
        assertTrue(clipboard.clearIfStillHolds(second))
        assertNull(clipboard.current())

        // The platform cannot tell a clip made elsewhere meanwhile: the code is not left there.
        val third = clipboard.copy("333333")
        clipboard.copiedElsewhere("something else")
        assertTrue(clipboard.clearIfStillHolds(third))
        assertNull(clipboard.current())
    }
}
