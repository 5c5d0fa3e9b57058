# The module as a user gets it: build.ps1 Package, Publish-PSResource to a folder repository,
# Install-PSResource into a clean module path (a fresh HOME, no inherited PSModulePath), then
# used by name in a new pwsh, loaded automatically on first use. PSResourceGet comes with pwsh.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ScoutAuditTestSupport.psm1') -Force
    $root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $version = ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.Version
    $stage = Join-Path $TestDrive 'packaging'
    $artifacts = Join-Path $stage 'artifacts'
    $repository = Join-Path $stage 'repository'
    $userHome = Join-Path $stage 'home'
    $null = New-Item -ItemType Directory $repository, $userHome
    # Only what pwsh finds by default under that HOME: the installed module, or nothing.
    $cleanEnvironment = @{ HOME = $userHome; PSModulePath = $null; SCOUT_AUDIT_PATH = Join-Path $stage 'audit.jsonl' }

    $package = Invoke-ChildPwsh -ArgumentList '-File', (Join-Path $root 'build.ps1'), 'Package', '-ArtifactsPath', $artifacts `
        -Environment @{ HOME = $userHome; SCOUT_AUDIT_PATH = $cleanEnvironment.SCOUT_AUDIT_PATH } -WorkingDirectory $root
    $packaged = Join-Path $artifacts "ScoutAudit/$version"

    $install = Join-Path $stage 'install.ps1'
    Set-Content $install -Value @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name ScoutAuditTest -Uri '$repository' -Trusted
Publish-PSResource -Path '$packaged' -Repository ScoutAuditTest
Install-PSResource -Name ScoutAudit -Repository ScoutAuditTest -Scope CurrentUser -TrustRepository
"@
    $installed = Invoke-ChildPwsh -ArgumentList '-File', $install -Environment $cleanEnvironment

    $use = Join-Path $stage 'use.ps1'
    Set-Content $use -Value @'
$ErrorActionPreference = 'Stop'
[pscustomobject]@{
    LoadedBefore = [bool](Get-Module ScoutAudit)
    Written      = (Write-ScoutAuditEvent nav -Cost 0.25 -Model m -PassThru).Cost
    Read         = (Get-ScoutAuditEvent -Last 1).Cost
    ModuleBase   = (Get-Module ScoutAudit).ModuleBase
    Version      = "$((Get-Module ScoutAudit).Version)"
    Available    = @(Get-Module -ListAvailable ScoutAudit).Count
    Synopsis     = (Get-Help Write-ScoutAuditEvent).Synopsis
    # The report draws with OxyPlot.dll, which the package must carry.
    ReportSvgs   = ([regex]::Matches((Get-Content -Raw (Export-ScoutAuditReport -OutFile (Join-Path $HOME 'report.html') -PassThru)), '<svg ')).Count
    # Send-ScoutAuditEvent encodes with Google.Protobuf.dll, which the package must carry: with no collector, the failure is the connection's.
    Forwarded    = try { $null = Send-ScoutAuditEvent -Endpoint http://127.0.0.1:9 -GiveUpAfter 00:00:01 -WarningAction SilentlyContinue; 'sent' } catch { $_.FullyQualifiedErrorId }
} | ConvertTo-Json -Compress
'@
    $used = Invoke-ChildPwsh -ArgumentList '-File', $use -Environment $cleanEnvironment
}

Describe 'The packaged module' {
    It 'is packaged by build.ps1 with the repository''s version stamped in its manifest' {
        $package.ExitCode | Should -Be 0 -Because "$($package.StdOut)$($package.StdErr)"
        (Import-PowerShellDataFile (Join-Path $packaged 'ScoutAudit.psd1')).ModuleVersion | Should -Be $version
        Join-Path $packaged 'en-US/ScoutAudit.PowerShell.dll-Help.xml' | Should -Exist
    }

    It 'is published to a folder repository with Publish-PSResource and installed with Install-PSResource' {
        $installed.StdErr | Should -BeNullOrEmpty
        $installed.ExitCode | Should -Be 0 -Because $installed.StdOut
        Join-Path $repository "ScoutAudit.$version.nupkg" | Should -Exist
    }

    It 'is used by name in a new pwsh: loaded on first use from the clean module path, with its help' {
        $used.StdErr | Should -BeNullOrEmpty
        $used.ExitCode | Should -Be 0 -Because $used.StdOut
        $result = $used.StdOut | ConvertFrom-Json
        $result.LoadedBefore | Should -BeFalse
        $result.Written | Should -Be 0.25
        $result.Read | Should -Be 0.25
        $result.Version | Should -Be $version
        $result.Available | Should -Be 1
        $result.ModuleBase | Should -BeLike "$userHome*"
        $result.Synopsis | Should -Match '\w+ \w+'
        $result.Synopsis | Should -Not -Match '^Write-ScoutAuditEvent'
        $result.ReportSvgs | Should -Be 5
        $result.Forwarded | Should -Be 'ForwardingFailed,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand'
    }
}
