package org.tessera.desktop

import java.awt.Image
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import java.awt.datatransfer.Transferable
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/** The picture in [transfer]: an image (a screenshot tool's copy), or the first image file of a copied or dropped file list. */
fun imageIn(transfer: Transferable?): BufferedImage? {
    if (transfer == null) return null
    if (transfer.isDataFlavorSupported(DataFlavor.imageFlavor)) {
        return (transfer.getTransferData(DataFlavor.imageFlavor) as? Image)?.let(::toBuffered)
    }
    if (transfer.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
        val files = transfer.getTransferData(DataFlavor.javaFileListFlavor) as? List<*>
        return files?.filterIsInstance<File>()?.firstNotNullOfOrNull(::readImage)
    }
    return null
}

/** The image on the system clipboard, if it holds one. */
fun clipboardImage(): BufferedImage? = imageIn(Toolkit.getDefaultToolkit().systemClipboard.getContents(null))

/** A PNG or JPEG file's picture; null when it is not a picture ImageIO reads. */
fun readImage(file: File): BufferedImage? = try {
    ImageIO.read(file)
} catch (_: java.io.IOException) {
    null
}

private fun toBuffered(image: Image): BufferedImage {
    if (image is BufferedImage) return image
    val width = image.getWidth(null).coerceAtLeast(1)
    val height = image.getHeight(null).coerceAtLeast(1)
    return BufferedImage(width, height, BufferedImage.TYPE_INT_RGB).also { copy ->
        copy.createGraphics().apply { drawImage(image, 0, 0, null); dispose() }
    }
}
