#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, documents, tests and packages the ScoutAudit module.
.DESCRIPTION
    Tasks (run in the order given):
      Build    dotnet build of the solution; assembles the module in ./module (help included).
      Docs     regenerates the MAML and about_ help from docs/en-US into ./module/en-US.
      Test     dotnet test of the solution.
      Package  a folder ready for Publish-PSResource: artifacts/ScoutAudit/<version>/.
    Written with core cmdlets and .NET calls only, so it also runs under the embedded shell
    (scoutaudit -File build.ps1), where only PowerShell's core cmdlets exist.
.EXAMPLE
    ./build.ps1 Build, Test
.EXAMPLE
    ./build.ps1 Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Docs', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = [System.IO.Path]::GetDirectoryName($MyInvocation.MyCommand.Path)
$moduleDir = [System.IO.Path]::Combine($root, 'module')
$solution = [System.IO.Path]::Combine($root, 'ScoutAudit.sln')

function Assert-ExitCode([string] $What) {
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'Directory.Build.props'))
    $match = [regex]::Match($props, '<Version>([^<]+)</Version>')
    if (-not $match.Success) { throw 'Directory.Build.props has no <Version>.' }
    $match.Groups[1].Value
}

function Invoke-Clean {
    foreach ($dir in @($moduleDir, [System.IO.Path]::Combine($root, 'artifacts'))) {
        if ([System.IO.Directory]::Exists($dir)) { [System.IO.Directory]::Delete($dir, $true) }
    }
    dotnet clean $solution -c $Configuration --nologo -v q
    Assert-ExitCode 'dotnet clean'
}

function Invoke-Build {
    dotnet build $solution -c $Configuration --nologo
    Assert-ExitCode 'dotnet build'
}

function Invoke-Docs {
    $generator = [System.IO.Path]::Combine($root, 'src', 'ScoutAudit.HelpGenerator', 'ScoutAudit.HelpGenerator.csproj')
    $docs = [System.IO.Path]::Combine($root, 'docs', 'en-US')
    $help = [System.IO.Path]::Combine($moduleDir, 'en-US')
    dotnet run --project $generator -c $Configuration -- $docs $help ScoutAudit.PowerShell.dll
    Assert-ExitCode 'help generation'
}

function Invoke-Test {
    dotnet test $solution -c $Configuration --nologo
    Assert-ExitCode 'dotnet test'
}

function Invoke-Package {
    $manifest = [System.IO.Path]::Combine($moduleDir, 'ScoutAudit.psd1')
    if (-not [System.IO.File]::Exists($manifest)) { Invoke-Build }
    $version = Get-ModuleVersion
    $target = [System.IO.Path]::Combine($root, 'artifacts', 'ScoutAudit', $version)
    if ([System.IO.Directory]::Exists($target)) { [System.IO.Directory]::Delete($target, $true) }
    foreach ($file in [System.IO.Directory]::GetFiles($moduleDir, '*', [System.IO.SearchOption]::AllDirectories)) {
        $relative = [System.IO.Path]::GetRelativePath($moduleDir, $file)
        if ($relative.EndsWith('.pdb')) { continue }
        $destination = [System.IO.Path]::Combine($target, $relative)
        [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($destination))
        [System.IO.File]::Copy($file, $destination, $true)
    }
    $stamped = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($target, 'ScoutAudit.psd1'))
    if ($stamped -notmatch "ModuleVersion\s*=\s*'$([regex]::Escape($version))'") {
        throw "The packaged manifest does not carry version $version; rebuild the module."
    }
    [Console]::WriteLine("Packaged ScoutAudit $version in $target")
}

foreach ($name in $Task) {
    [Console]::WriteLine("== $name")
    switch ($name) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
    }
}
