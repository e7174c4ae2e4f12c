package org.tessera.kit

/** Which way the scanning camera faces. */
enum class CameraFacing { Back, Front }

/**
 * The camera the QR scanner uses: the rear one, else the front one (tablets, Chromebooks), else
 * none, and Add Identity offers typing or pasting instead.
 */
fun chooseScanCamera(hasBack: Boolean, hasFront: Boolean): CameraFacing? = when {
    hasBack -> CameraFacing.Back
    hasFront -> CameraFacing.Front
    else -> null
}

/**
 * One scanner's stay on screen. The camera provider arrives asynchronously, possibly after the
 * person already left Add Identity: [bind] then does nothing, so a camera is never opened for a
 * scanner that is gone. [leave] releases a camera that was bound. Used from the main thread.
 */
class ScannerStay {
    private var left = false
    private var bound = false

    /** Runs [start] (binding the camera) unless the scanner left or is bound already; returns whether it ran. */
    fun bind(start: () -> Unit): Boolean {
        if (left || bound) return false
        start()
        bound = true
        return true
    }

    /** The scanner left the screen: [release] unbinds the camera if one was bound; later [bind]s do nothing. */
    fun leave(release: () -> Unit) {
        left = true
        if (bound) release()
        bound = false
    }
}
