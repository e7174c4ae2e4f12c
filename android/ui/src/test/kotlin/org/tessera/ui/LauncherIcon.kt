package org.tessera.ui

import androidx.compose.foundation.Canvas
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.drawscope.scale
import androidx.compose.ui.graphics.vector.PathParser
import org.w3c.dom.Element

/** One `<path>` of a vector drawable: its SVG path data and ARGB fill. */
data class VectorPath(val data: String, val fill: Long)

/** A vector drawable's square viewport and paths. */
data class VectorLayer(val viewport: Float, val paths: List<VectorPath>)

/**
 * The app's launcher icon as the Android app declares it (res/drawable/ic_launcher_*.xml), so
 * the store graphics are drawn from the same vectors as the icon on the phone.
 */
object LauncherIcon {
    private const val ANDROID = "http://schemas.android.com/apk/res/android"

    fun layer(name: String): VectorLayer {
        val vector = RepoFiles.xml("android/app/src/main/res/drawable/$name.xml").documentElement
        val paths = vector.getElementsByTagName("path").let { list -> (0 until list.length).map { list.item(it) as Element } }
        return VectorLayer(
            vector.getAttributeNS(ANDROID, "viewportWidth").toFloat(),
            paths.map { VectorPath(it.getAttributeNS(ANDROID, "pathData"), it.getAttributeNS(ANDROID, "fillColor").removePrefix("#").toLong(16)) },
        )
    }

    /** The background and foreground layers, full bleed (the store masks the icon itself). */
    @Composable
    fun Icon(modifier: Modifier) {
        val layers = listOf(layer("ic_launcher_background"), layer("ic_launcher_foreground"))
        Canvas(modifier) {
            for (layer in layers) {
                scale(size.width / layer.viewport, size.height / layer.viewport, pivot = androidx.compose.ui.geometry.Offset.Zero) {
                    for (path in layer.paths) drawPath(PathParser().parsePathString(path.data).toPath(), Color(path.fill.toInt()))
                }
            }
        }
    }
}
