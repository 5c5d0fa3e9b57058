#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-ScoutAuditEvent -Wait, as an operator watching runbooks uses it: every event of every
# process once, in log order, across rotations, until Select-Object -First has enough or Ctrl+C.

Describe 'Get-ScoutAuditEvent -Wait' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        function Start-Follower {
            <# Runs Get-ScoutAuditEvent -Wait in a runspace of this process; its output and warnings fill as events come. #>
            param([string] $Log, [hashtable] $Parameters = @{}, [int] $First = 0)
            $follower = [powershell]::Create()
            $null = $follower.AddScript({
                    param($module, $log, $parameters, $first)
                    Import-Module $module
                    if ($first -gt 0) { Get-ScoutAuditEvent -Path $log -Wait @parameters | Select-Object -First $first }
                    else { Get-ScoutAuditEvent -Path $log -Wait @parameters }
                }).AddArgument((Get-ScoutAuditModulePath)).AddArgument($Log).AddArgument($Parameters).AddArgument($First)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            [pscustomobject]@{ Shell = $follower; Output = $output; Handle = $follower.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output) }
        }

        function Wait-Until {
            param([scriptblock] $Condition, [int] $TimeoutSeconds = 60)
            $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
            while (-not (& $Condition)) {
                if ([datetime]::UtcNow -gt $deadline) { throw "Not true within $TimeoutSeconds s: $Condition" }
                Start-Sleep -Milliseconds 20
            }
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'sees every event of three processes writing and rotating, once each and in log order, and stops at Select-Object -First' {
        Write-ScoutAuditEvent nav -SessionId before -Path $log
        Write-ScoutAuditEvent nav -SessionId before -Path $log
        Close-ScoutAuditLog -Path $log
        $perWriter = 150
        $writer = Join-Path $folder 'writer.ps1'
        Set-Content -LiteralPath $writer -Value @'
param([string] $Name, [int] $Count, [int] $RotateEvery)
Import-Module $env:SCOUT_TEST_MODULE
Set-ScoutAuditLog -RotationSize 4KB
foreach ($n in 1..$Count) {
    Write-ScoutAuditEvent nav -SessionId $Name -InputTokens $n
    if ($RotateEvery -and $n % $RotateEvery -eq 0) { $null = Invoke-ScoutAuditRotation -Confirm:$false }
}
'@
        $follower = Start-Follower -Log $log -First (2 + 3 * $perWriter)

        $writers = foreach ($i in 1..3) {
            Start-ChildPwshCapture -ArgumentList '-File', $writer, "w$i", $perWriter, $(if ($i -eq 2) { 40 } else { 0 }) -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log }
        }
        foreach ($child in $writers) { (Wait-ChildPwsh -Child $child -TimeoutSeconds 120).ExitCode | Should -Be 0 }
        $follower.Handle.AsyncWaitHandle.WaitOne(60000) | Should -BeTrue -Because 'Select-Object -First ends the wait once it has every event'
        $follower.Shell.EndInvoke($follower.Handle)
        $seen = $follower.Output
        $follower.Shell.Dispose()

        $all = Get-ScoutAuditEvent -Path $log
        $all.Count | Should -Be (2 + 3 * $perWriter)
        $seen.Id | Should -Be $all.Id
        foreach ($i in 1..3) { ($seen | Where-Object SessionId -eq "w$i").InputTokens | Should -Be (1..$perWriter) }
        (Get-ChildItem -LiteralPath $folder -Filter 'audit_*.jsonl.gz').Count | Should -BeGreaterThan 3
    }

    It 'starts with the last events asked for, passes on each new one, warns of a damaged line as it comes, and stops on Ctrl+C' {
        1..3 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }
        $follower = Start-Follower -Log $log -Parameters @{ Last = 2; Event = 'nav' }
        Wait-Until { $follower.Output.Count -eq 2 }

        Write-ScoutAuditEvent deep -InputTokens 4 -Path $log
        Add-Content -LiteralPath $log -Value 'not an event'
        Write-ScoutAuditEvent nav -InputTokens 5 -Path $log
        Wait-Until { $follower.Output.Count -eq 3 }
        $follower.Shell.Stop()

        $follower.Shell.InvocationStateInfo.State | Should -Be Stopped
        $follower.Output.InputTokens | Should -Be 2, 3, 5
        $follower.Shell.Streams.Warning.Message | Should -Match "Skipped line 5 of '.*audit\.jsonl'"
        $follower.Shell.Dispose()
    }

    It 'waits for a log that does not exist yet' {
        $follower = Start-Follower -Log $log -First 1
        # Written once the follower has said it waits: on a loaded machine 300 ms were not always enough for it to start.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($follower.Shell.Streams.Warning.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Write-ScoutAuditEvent nav -Reason 'first' -Path $log
        $follower.Handle.AsyncWaitHandle.WaitOne(30000) | Should -BeTrue
        $follower.Shell.EndInvoke($follower.Handle)
        $follower.Output.Reason | Should -Be 'first'
        $follower.Shell.Streams.Warning.Message | Should -Match 'No audit log at .* yet'
        $follower.Shell.Dispose()
    }

    It 'refuses -Until and more than one log, saying why' {
        { Get-ScoutAuditEvent -Path $log -Wait -Until (Get-Date) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWait,ScoutAudit.PowerShell.Commands.GetScoutAuditEventCommand' -ExpectedMessage '*-Wait follows the log without end*-Until*'
        { Get-ScoutAuditEvent -Path $log, "$log.2" -Wait -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWait,ScoutAudit.PowerShell.Commands.GetScoutAuditEventCommand' -ExpectedMessage '*follows one log; got 2 logs*'
    }
}
