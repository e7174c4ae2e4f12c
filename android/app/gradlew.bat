@rem Starts the Gradle version pinned in gradle\wrapper\gradle-wrapper.properties through Gradle's
@rem wrapper (gradle\wrapper\gradle-wrapper.jar). `gradle wrapper --gradle-version <version>`
@rem replaces this script with Gradle's own and writes the jar; see docs/building.md.
@echo off
setlocal
set APP_HOME=%~dp0
set WRAPPER_JAR=%APP_HOME%gradle\wrapper\gradle-wrapper.jar
if not exist "%WRAPPER_JAR%" (
  echo gradlew: %WRAPPER_JAR% is missing. 1>&2
  echo Run "gradle wrapper --gradle-version 9.6.0" once in %APP_HOME%, or open the folder in Android Studio. 1>&2
  exit /b 1
)
set JAVACMD=java.exe
if defined JAVA_HOME set JAVACMD=%JAVA_HOME%\bin\java.exe
"%JAVACMD%" %JAVA_OPTS% %GRADLE_OPTS% "-Dorg.gradle.appname=gradlew" -classpath "%WRAPPER_JAR%" org.gradle.wrapper.GradleWrapperMain %*
exit /b %ERRORLEVEL%
