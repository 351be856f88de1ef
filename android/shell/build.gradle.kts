// The platform layer: plain Kotlin (no android.* imports) in an Android
// library so that it can carry the Rust library (jniLibs) and take JNA as
// an aar. shell/pom.xml compiles the same sources for the desktop JVM and
// runs src/test there (`mvn -f android/shell/pom.xml test`).
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "cn.gridline.shell"
    compileSdk = 36
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].apply {
        kotlin.srcDirs("src/main/kotlin", "src/generated/kotlin")
        // Written by `scripts/mobile-build android` (cargo-ndk):
        // src/main/jniLibs/<abi>/libgridline_mobile.so
        jniLibs.srcDirs("src/main/jniLibs")
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api(libs.kotlinx.coroutines.core)
    api(libs.okhttp)
    // On a phone JNA comes as an aar with its own native parts.
    implementation(libs.jna) { artifact { type = "aar" } }
}
