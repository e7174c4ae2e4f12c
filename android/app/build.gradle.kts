// Tessera for Android: the common Compose screens (../ui/src/main/kotlin) over the Kotlin library
// (../tessera/target/tessera.aar, made by `cargo xtask android-aar`), plus the small Android-only
// part in src/main: the activity, its ViewModel, the camera, the manifest and the resources.
// AGP 9 compiles Kotlin itself; the JDK that runs Gradle (Android Studio's, 17 or newer) compiles
// for Java 17 without a toolchain download.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "org.tessera.app"
    compileSdk = 36

    defaultConfig {
        applicationId = "org.tessera.app"
        minSdk = 26
        targetSdk = 36
        versionCode = 1
        versionName = "0.1.0"
        // Only the ABIs the Rust core is built for (xtask/src/android.rs): JNA ships more (x86),
        // and a device of another ABI would install the app and fail at the first call.
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    // Release signing comes from the environment (CI secrets), never from a file in the repo.
    val keystore = System.getenv("TESSERA_KEYSTORE")
    signingConfigs {
        if (keystore != null) {
            create("release") {
                storeFile = file(keystore)
                storePassword = System.getenv("TESSERA_KEYSTORE_PASSWORD")
                keyAlias = System.getenv("TESSERA_KEY_ALIAS")
                keyPassword = System.getenv("TESSERA_KEY_PASSWORD")
            }
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            signingConfig = signingConfigs.findByName("release")
        }
    }

    sourceSets.getByName("main").kotlin.srcDirs("src/main/kotlin", "../ui/src/main/kotlin")

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // 16 KB page alignment for the Rust library (Android 15+), as cargo xtask android-aar links it.
        jniLibs.useLegacyPackaging = false
    }
}

dependencies {
    implementation(files("../tessera/target/tessera.aar"))
    // JNA with its Android native stubs (the @aar flavour).
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
    implementation(libs.coroutines.android)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.foundation)
    implementation(libs.compose.material3)
    implementation(libs.compose.material.icons)
    implementation(libs.activity.compose)
    implementation(libs.lifecycle.viewmodel)
    implementation(libs.lifecycle.runtime.compose)
    implementation(libs.camera.camera2)
    implementation(libs.camera.lifecycle)
    implementation(libs.camera.view)
}
