package org.tessera.desktop

import java.awt.image.BufferedImage

/** An image's 8-bit luminance plane, one byte per pixel, rows of [width] bytes: what the core's QR reader takes. */
class LumaPlane(val width: Int, val height: Int, val bytes: ByteArray)

/**
 * The luminance of [image] (ITU-R BT.601 weights, as a camera's Y plane), so a screenshot, an
 * opened PNG/JPEG or a pasted image go to the same reader as the phone's camera frames.
 */
fun lumaOf(image: BufferedImage): LumaPlane {
    val width = image.width
    val height = image.height
    val argb = image.getRGB(0, 0, width, height, null, 0, width)
    val luma = ByteArray(width * height)
    for (i in argb.indices) {
        val p = argb[i]
        val r = (p shr 16) and 0xFF
        val g = (p shr 8) and 0xFF
        val b = p and 0xFF
        luma[i] = ((299 * r + 587 * g + 114 * b) / 1000).toByte()
    }
    return LumaPlane(width, height, luma)
}
