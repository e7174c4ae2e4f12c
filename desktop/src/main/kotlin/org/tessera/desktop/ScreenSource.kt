package org.tessera.desktop

import java.awt.GraphicsEnvironment
import java.awt.Robot
import java.awt.image.BufferedImage

/** Where "Scan the screen" takes its pictures: each screen's contents, once. */
fun interface ScreenSource {
    /** One capture per screen (none where the platform refuses a capture). */
    fun capture(): List<BufferedImage>
}

/**
 * Every screen captured with java.awt.Robot. On Wayland and on macOS without the Screen
 * Recording permission the captures are blank, and the app says it found no QR code.
 */
object RobotScreens : ScreenSource {
    override fun capture(): List<BufferedImage> =
        GraphicsEnvironment.getLocalGraphicsEnvironment().screenDevices.map { device ->
            Robot(device).createScreenCapture(device.defaultConfiguration.bounds)
        }
}
