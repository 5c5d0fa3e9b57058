#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Safe on a shared machine: whatever the umask, every file the module writes is readable and
# writable by its owner only (0600) and every directory it creates is its owner's only (0700). A
# child pwsh started under umask 000, 022 and 077 does the module's whole job in folders that do
# not exist yet, and every file and directory it leaves is looked at.

Describe 'The modes of what the module writes' -Skip:$IsWindows {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force
        $collector = Start-OtlpReceiver

        # The whole job: signed writes, a rotation, more writes, every query, verification (its
        # state beside the log and in a folder of its own), a report, forwarding and closing.
        $job = @'
param([string] $Log, [string] $Key, [string] $PublicKey, [string] $Report, [string] $State, [string] $Checkpoint, [string] $Endpoint)
$ErrorActionPreference = 'Stop'
Import-Module $env:SCOUT_TEST_MODULE
Set-ScoutAuditLog -Path $Log -SigningKey $Key
foreach ($n in 1..5) { Write-ScoutAuditEvent nav -Cost 0.001 -Model gpt-4o-mini -InputTokens $n -Reason "step $n" -Path $Log }
$null = Invoke-ScoutAuditRotation -Path $Log -Confirm:$false
foreach ($n in 1..5) { Write-ScoutAuditEvent validation_fail -Reason "bad $n" -Model llama-3.1-8b -Path $Log }
$null = Invoke-ScoutAuditRotation -Path $Log -Confirm:$false
Write-ScoutAuditEvent brief -Cost 0.002 -Model gpt-4o-mini -Path $Log
# Over 256 KiB in the active file, so that a query by time summarises it in <log>.blocks.
1..2000 | ForEach-Object { [pscustomobject]@{ Event = 'nav'; Cost = 0.0001; Model = 'gpt-4o-mini'; Reason = 'r' * 150 } } | Write-ScoutAuditEvent -Path $Log
$null = @(Get-ScoutAuditEvent -Path $Log)
$null = @(Get-ScoutAuditEvent -Path $Log -Since ([DateTimeOffset]::UtcNow.AddHours(-1)) -Model gpt*)
$null = Get-ScoutAuditSpend -Path $Log -Hours 2 -By Model
$null = Get-ScoutAuditAccuracy -Path $Log
if (-not (Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey -Quiet)) { throw 'the log did not verify' }
if (-not (Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey -StatePath $State -Quiet)) { throw 'the log did not verify with -StatePath' }
$null = New-Item -ItemType Directory -Path (Split-Path $Report)
$null = Export-ScoutAuditReport -Path $Log -OutFile $Report
$null = Send-ScoutAuditEvent -Endpoint $Endpoint -Path $Log
$null = Send-ScoutAuditEvent -Endpoint $Endpoint -Path $Log -CheckpointPath $Checkpoint
Write-ScoutAuditEvent nav -Path $Log
Close-ScoutAuditLog -Path $Log
'OK'
'@

        # Every file and directory under a folder, with its mode as chmod writes it.
        function Get-Mode([string] $Folder) {
            Get-ChildItem -LiteralPath $Folder -Recurse -Force | ForEach-Object {
                [pscustomobject]@{
                    Path      = $_.FullName
                    Directory = $_.PSIsContainer
                    Mode      = '0' + [Convert]::ToString([int]$_.UnixFileMode, 8).PadLeft(3, '0')
                }
            }
        }
    }

    AfterAll {
        Stop-OtlpReceiver $collector
    }

    Context 'under umask <_>' -ForEach '000', '022', '077' {
        BeforeAll {
            $umask = $_
            $root = Join-Path $TestDrive $umask
            $keys = Join-Path $TestDrive "keys-$umask"
            $null = New-Item -ItemType Directory -Path $keys
            $key = New-SigningKey $keys
            # None of these folders exists yet but the state's: the module makes logs/ and logs/sub/.
            # (Test-ScoutAuditLog keeps no state in a folder that does not exist: it makes none.)
            $log = Join-Path $root 'logs/sub/audit.jsonl'
            $null = New-Item -ItemType Directory -Path (Join-Path $root 'state')
            $state = Join-Path $root 'state/audit.verified'
            $checkpoint = Join-Path $root 'logs/sub/forwarding.checkpoint'
            $report = Join-Path $root 'reports/report.html'
            $script = Join-Path $keys 'job.ps1'
            Set-Content -LiteralPath $script -Value $job
            $run = Invoke-ChildPwsh -Umask $umask -TimeoutSeconds 180 -WorkingDirectory $keys -Environment @{ HOME = $keys; SCOUT_AUDIT_PATH = $log } -ArgumentList @(
                '-File', $script, '-Log', $log, '-Key', $key.Private, '-PublicKey', $key.Public, '-Report', $report,
                '-State', $state, '-Checkpoint', $checkpoint, '-Endpoint', $collector.Endpoint)
            $logFiles = @(Get-Mode (Join-Path $root 'logs'))
        }

        It 'does the whole job without an error' {
            $run.StdErr | Should -BeNullOrEmpty -Because $run.StdOut
            $run.StdOut.Trim() | Should -Be 'OK'
            $run.ExitCode | Should -Be 0
        }

        It 'leaves the log, its archives, index, locks, sidecars and checkpoints' {
            $names = $logFiles | Where-Object { -not $_.Directory } | ForEach-Object { Split-Path $_.Path -Leaf }
            $names | Should -Contain 'audit.jsonl'
            $names | Should -Contain 'audit.jsonl.blocks'
            $names | Should -Contain 'audit.index.jsonl'
            $names | Should -Contain 'audit.jsonl.verified'
            $names | Should -Contain 'forwarding.checkpoint'
            @($names -like 'audit_*.jsonl.gz').Count | Should -BeGreaterOrEqual 2
            @($names -like 'audit.jsonl*lock').Count | Should -BeGreaterOrEqual 1
        }

        It 'makes every file beside the log 0600' {
            $wrong = @($logFiles | Where-Object { -not $_.Directory -and $_.Mode -ne '0600' } | ForEach-Object { "$($_.Mode) $($_.Path)" })
            $wrong | Should -BeNullOrEmpty
        }

        It 'makes the log''s directories, each level it created, 0700' {
            $directories = @($logFiles | Where-Object Directory) + @(Get-Item -LiteralPath (Join-Path $root 'logs') | ForEach-Object {
                    [pscustomobject]@{ Path = $_.FullName; Directory = $true; Mode = '0' + [Convert]::ToString([int]$_.UnixFileMode, 8) } })
            $directories.Count | Should -Be 2
            @($directories | Where-Object Mode -ne '0700' | ForEach-Object { "$($_.Mode) $($_.Path)" }) | Should -BeNullOrEmpty
        }

        It 'makes the verification state kept elsewhere 0600' {
            $stateFiles = @(Get-Mode (Join-Path $root 'state'))
            $stateFiles.Path | Should -Be $state
            $stateFiles.Mode | Should -Be '0600'
        }

        It 'makes the report 0600, and leaves nothing else in its folder' {
            $reportFiles = @(Get-Mode (Split-Path $report))
            $reportFiles.Path | Should -Be $report
            $reportFiles.Mode | Should -Be '0600'
        }
    }
}
