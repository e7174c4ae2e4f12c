package org.tessera.desktop

import java.nio.file.Path
import java.nio.file.Paths

/**
 * The token's folder, the same one the `tessera` CLI uses so the two share a token:
 * `TESSERA_HOME` when set, else the platform's per-user data folder joined with "tessera"
 * (the CLI's `dirs::data_dir()`: XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application
 * Support on macOS, %APPDATA% on Windows).
 */
fun tokenFolder(env: (String) -> String? = System::getenv, home: String = System.getProperty("user.home")): Path {
    env("TESSERA_HOME")?.takeIf { it.isNotEmpty() }?.let { return Paths.get(it) }
    val os = System.getProperty("os.name").lowercase()
    val data = when {
        os.startsWith("mac") -> Paths.get(home, "Library", "Application Support")
        os.startsWith("windows") -> env("APPDATA")?.let { Paths.get(it) } ?: Paths.get(home, "AppData", "Roaming")
        else -> env("XDG_DATA_HOME")?.takeIf { it.startsWith("/") }?.let { Paths.get(it) } ?: Paths.get(home, ".local", "share")
    }
    return data.resolve("tessera")
}
