package org.tessera.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

private val Light = lightColorScheme(
    primary = Color(0xFF1F5F8B),
    onPrimary = Color.White,
    primaryContainer = Color(0xFFD0E4F5),
    onPrimaryContainer = Color(0xFF0B2740),
    secondary = Color(0xFF4E6072),
    surface = Color(0xFFF8FAFC),
    background = Color(0xFFF8FAFC),
    surfaceVariant = Color(0xFFE3EAF1),
    error = Color(0xFFB3261E),
)

private val Dark = darkColorScheme(
    primary = Color(0xFF9CCBF0),
    onPrimary = Color(0xFF0B2740),
    primaryContainer = Color(0xFF1F4A6B),
    onPrimaryContainer = Color(0xFFD0E4F5),
)

/** Tessera's Material 3 theme. */
@Composable
fun TesseraTheme(dark: Boolean = false, content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (dark) Dark else Light, content = content)
}
