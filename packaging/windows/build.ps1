<#
.SYNOPSIS
  Builds Hearth for Windows: a PyInstaller bundle in dist\hearth and dist\Hearth-VERSION-Setup.exe.

.DESCRIPTION
  Run from any folder, in PowerShell 5.1 or 7, on 64-bit Windows with Python 3.11 (python.org
  installer, "py" launcher) and NSIS 3 (makensis on PATH or in its default folder):

    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

  Steps: a fresh venv in build\windows\venv; the exact pins (constraints.txt and
  packaging\requirements-build.txt); the icon (packaging\make_icons.py); PyInstaller with
  packaging\hearth.spec; `hearth-cli.exe --self-test` offscreen; optional Authenticode signing of
  the programs; makensis packaging\windows\hearth.nsi; signing of the installer.

.PARAMETER Python
  The Python launcher command used to create the venv (default: "py -3.11").

.PARAMETER CertificateThumbprint
  SHA-1 thumbprint of a code-signing certificate in the certificate store. When given, signtool
  signs hearth.exe, hearth-cli.exe and the installer (SHA-256, RFC 3161 timestamp).

.PARAMETER TimestampUrl
  The RFC 3161 timestamp server for signing.
#>
[CmdletBinding()]
param(
  [string]$Python = "py -3.11",
  [string]$CertificateThumbprint = "",
  [string]$TimestampUrl = "http://timestamp.digicert.com"
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Build = Join-Path $Root "build\windows"
$Dist = Join-Path $Root "dist"
$Venv = Join-Path $Build "venv"
$Py = Join-Path $Venv "Scripts\python.exe"
$Started = Get-Date

function Step([string]$What) {
  $elapsed = [int]((Get-Date) - $Started).TotalSeconds
  Write-Host "`n== $What (${elapsed}s)"
}

# Runs a native program and stops the build when it fails ($ErrorActionPreference does not).
function Invoke-Native([string]$Exe, [string[]]$Arguments) {
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Find-Tool([string]$Name, [string[]]$Candidates) {
  $onPath = Get-Command $Name -ErrorAction SilentlyContinue
  if ($onPath) { return $onPath.Source }
  foreach ($candidate in $Candidates) { if ($candidate -and (Test-Path $candidate)) { return $candidate } }
  return $null
}

function Find-Signtool() {
  $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
  $newest = Get-ChildItem $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
    Where-Object { $_.FullName -match "\\x64\\" } | Sort-Object FullName | Select-Object -Last 1
  $signtool = Find-Tool "signtool.exe" @($(if ($newest) { $newest.FullName } else { "" }))
  if (-not $signtool) { throw "signtool.exe not found: install the Windows SDK's signing tools" }
  return $signtool
}

$SignArguments = @("sign", "/sha1", $CertificateThumbprint, "/fd", "SHA256",
  "/tr", $TimestampUrl, "/td", "SHA256", "/d", "Hearth")

function Sign-Files([string[]]$Files) {
  if (-not $CertificateThumbprint) { return }
  $signtool = Find-Signtool
  Invoke-Native $signtool ($SignArguments + $Files)
  Invoke-Native $signtool (@("verify", "/pa", "/v") + $Files)
}

Set-Location $Root

Step "checking the tools"
$makensis = Find-Tool "makensis.exe" @(
  (Join-Path ${env:ProgramFiles(x86)} "NSIS\makensis.exe"),
  (Join-Path $env:ProgramFiles "NSIS\makensis.exe")
)
if (-not $makensis) { throw "makensis.exe not found: install NSIS 3 (winget install NSIS.NSIS)" }

Step "venv with the pinned requirements"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
$launcher = $Python.Split(" ")
Invoke-Native $launcher[0] (@($launcher | Select-Object -Skip 1) + @("-m", "venv", $Venv))
Invoke-Native $Py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Native $Py @("-m", "pip", "install", "--quiet", "-c", "constraints.txt",
  "-r", "packaging\requirements-build.txt", ".")

$Version = (& $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
$VersionQuad = (& $Py -c "from packaging.version import Version; r = (Version('$Version').release + (0, 0, 0))[:3]; print('.'.join(map(str, r)) + '.0')").Trim()
Write-Host "Hearth $Version ($VersionQuad)"

Step "icons"
$Icons = Join-Path $Build "icons"
Invoke-Native $Py @("packaging\make_icons.py", $Icons)
$env:HEARTH_ICON_DIR = $Icons

Step "PyInstaller bundle"
Invoke-Native $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
  "--distpath", $Dist, "--workpath", (Join-Path $Build "pyinstaller"), "packaging\hearth.spec")
$Bundle = Join-Path $Dist "hearth"
if (-not (Test-Path (Join-Path $Bundle "_internal\resources"))) { throw "the bundle has no resources\" }

Step "self-test from the bundle"
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Native (Join-Path $Bundle "hearth-cli.exe") @("--self-test")
Remove-Item Env:\QT_QPA_PLATFORM

Sign-Files @((Join-Path $Bundle "hearth.exe"), (Join-Path $Bundle "hearth-cli.exe"))

Step "installer"
$Setup = Join-Path $Dist "Hearth-$Version-Setup.exe"
$NsisDefines = @("/V2", "/DVERSION=$Version", "/DVERSION_QUAD=$VersionQuad",
  "/DSOURCE_DIR=$Bundle", "/DOUTFILE=$Setup", "/DICON=$(Join-Path $Icons 'hearth.ico')")
if ($CertificateThumbprint) {
  # makensis signs the uninstaller as it writes it into the installer, then the installer.
  $NsisDefines += "/DSIGN_COMMAND=`"$(Find-Signtool)`" $($SignArguments -join ' ')"
}
Invoke-Native $makensis ($NsisDefines + @("packaging\windows\hearth.nsi"))
if ($CertificateThumbprint) { Invoke-Native (Find-Signtool) @("verify", "/pa", "/v", $Setup) }

Step "done"
$size = "{0:N1} MB" -f ((Get-Item $Setup).Length / 1MB)
Write-Host "  $Setup  $size"
