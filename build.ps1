#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, documents, tests and packages the ScoutAudit module.
.DESCRIPTION
    Tasks (run in the order given):
      Clean    removes module/, artifacts/ and TestResults/, then dotnet clean.
      Build    dotnet build of the solution; assembles the module in ./module (help included).
      Docs     regenerates the MAML and about_ help from docs/en-US into ./module/en-US.
      Test     every test: xunit (dotnet test) and the Pester suite (tests/pester) in this pwsh;
               ends with the line "N passed, N failed, N skipped" over both, and fails when
               any test failed or when either ran no test.
      Package  a folder ready for Publish-PSResource: <ArtifactsPath>/ScoutAudit/<version>/.
    Run it with the repository's pinned PowerShell: dotnet tool restore; dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Build, Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Test -PesterVersion 6.2.0
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Docs', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The Pester the suite runs under: restored by tests/pester/Pester.csproj (5.7.1 is the baseline).
    [ValidateSet('5.7.1', '6.2.0')]
    [string] $PesterVersion = '5.7.1',

    # Where Package puts ScoutAudit/<version>/.
    [string] $ArtifactsPath = (Join-Path $PSScriptRoot 'artifacts')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'module'
$solution = Join-Path $root 'ScoutAudit.sln'
$testResults = Join-Path $root 'TestResults'

function Assert-ExitCode([string] $What) {
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = Get-Content -Raw (Join-Path $root 'Directory.Build.props')
    if ($props -notmatch '<Version>([^<]+)</Version>') { throw 'Directory.Build.props has no <Version>.' }
    $Matches[1]
}

function Invoke-Clean {
    foreach ($dir in $moduleDir, (Join-Path $root 'artifacts'), $testResults) {
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    }
    dotnet clean $solution -c $Configuration --nologo -v q
    Assert-ExitCode 'dotnet clean'
}

function Invoke-Build {
    dotnet build $solution -c $Configuration --nologo
    Assert-ExitCode 'dotnet build'
}

function Invoke-Docs {
    $generator = Join-Path $root 'src/ScoutAudit.HelpGenerator/ScoutAudit.HelpGenerator.csproj'
    dotnet run --project $generator -c $Configuration -- (Join-Path $root 'docs/en-US') (Join-Path $moduleDir 'en-US') ScoutAudit.PowerShell.dll
    Assert-ExitCode 'help generation'
}

# The counts of one xunit run, from the TRX files dotnet test wrote (one per test assembly),
# and the failed tests by name with the first lines of their messages: CI shows only the end
# of the output, where dotnet test's own report of a failure is long gone.
function Get-XunitCount([string] $Directory) {
    $count = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Failures = [System.Collections.Generic.List[string]]::new() }
    foreach ($file in Get-ChildItem $Directory -Filter *.trx -Recurse) {
        foreach ($result in ([xml](Get-Content -Raw $file.FullName)).TestRun.Results.UnitTestResult) {
            switch ($result.outcome) {
                'Passed' { $count.Passed++ }
                'NotExecuted' { $count.Skipped++ }
                default {
                    $count.Failed++
                    $message = ($result.Output.ErrorInfo.Message -split "`n" | Select-Object -First 6) -join "`n      "
                    $count.Failures.Add("  $($result.testName)`n      $message")
                }
            }
        }
    }
    [pscustomobject]$count
}

function Invoke-Xunit {
    $results = Join-Path $testResults 'xunit'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    # A failing test is counted from the TRX files below, so dotnet test's own exit code only
    # decides when nothing was counted (a build failure).
    # Out-Host: the function's output is the count alone.
    dotnet test $solution -c $Configuration --nologo --logger trx --results-directory $results | Out-Host
    $exitCode = $LASTEXITCODE
    $count = Get-XunitCount $results
    if ($exitCode -ne 0 -and $count.Failed -eq 0) { throw "dotnet test failed with exit code $exitCode before any test failed." }
    $count
}

function Get-PesterModulePath {
    dotnet restore (Join-Path $root 'tests/pester/Pester.csproj') --nologo -v q | Out-Host
    Assert-ExitCode 'dotnet restore of Pester'
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    Assert-ExitCode 'dotnet nuget locals'
    $manifest = Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion is not at $manifest after the restore." }
    $manifest
}

function Invoke-PesterSuite {
    Import-Module (Get-PesterModulePath) -RequiredVersion $PesterVersion -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $testResults 'pester.xml'
    $run = Invoke-Pester -Configuration $config
    $failures = @(
        foreach ($test in $run.Failed) { "  $($test.ExpandedPath)`n      $(($test.ErrorRecord | Select-Object -First 1) -replace "`n", "`n      ")" }
        foreach ($block in $run.FailedBlocks) { "  $($block.Path -join ' ') (block)`n      $($block.ErrorRecord | Select-Object -First 1)" }
        foreach ($container in $run.FailedContainers) { "  $($container.Item) (file)`n      $($container.ErrorRecord | Select-Object -First 1)" })
    [pscustomobject]@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount + $run.NotRunCount; Failures = $failures }
}

function Invoke-Test {
    $xunit = Invoke-Xunit
    $pester = Invoke-PesterSuite
    if ($xunit.Failures.Count) { Write-Host "xunit failures:"; $xunit.Failures | ForEach-Object { Write-Host $_ } }
    if ($pester.Failures.Count) { Write-Host "Pester failures:"; $pester.Failures | ForEach-Object { Write-Host $_ } }
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester {0}: {1} passed, {2} failed, {3} skipped" -f $PesterVersion, $pester.Passed, $pester.Failed, $pester.Skipped)
    if ($xunit.Passed + $xunit.Failed -eq 0) { Write-Host 'xunit ran no test.' }
    if ($pester.Passed + $pester.Failed -eq 0) { Write-Host 'Pester ran no test.' }
    # The closing line, last, as CI reads it.
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f ($xunit.Passed + $pester.Passed), ($xunit.Failed + $pester.Failed), ($xunit.Skipped + $pester.Skipped))
    if ($xunit.Failed + $pester.Failed -gt 0 -or $xunit.Passed -eq 0 -or $pester.Passed -eq 0) { exit 1 }
}

function Invoke-Package {
    if (-not (Test-Path (Join-Path $moduleDir 'ScoutAudit.psd1'))) { Invoke-Build }
    $version = Get-ModuleVersion
    $target = Join-Path $ArtifactsPath "ScoutAudit/$version"
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    $null = New-Item -ItemType Directory $target
    Copy-Item (Join-Path $moduleDir '*') $target -Recurse
    $stamped = Import-PowerShellDataFile (Join-Path $target 'ScoutAudit.psd1')
    if ($stamped.ModuleVersion -ne $version) {
        throw "The packaged manifest carries version $($stamped.ModuleVersion), not $version; rebuild the module."
    }
    Write-Host "Packaged ScoutAudit $version in $target"
}

foreach ($name in $Task) {
    Write-Host "== $name"
    switch ($name) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
    }
}
