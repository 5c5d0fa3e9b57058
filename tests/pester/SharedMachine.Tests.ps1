#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Safe on a shared machine (issue 24), as a user sees it: the test process is root (a runbook, an
# auditor), and another local user ("nobody", through setpriv) may write in the log's directory.
# Their links, FIFOs, files made in advance, held locks and guessed temporary names must not make
# the module write to, create, or hang on a file of their choosing. The victim is a file of root's
# outside the log's directory, whose content and mode must be unchanged afterwards.
# Commands that an attack could hang, or make read without end, run in a child pwsh with a
# generous guard against a hang (not a time limit) and a bounded GC heap.
# The same attacks at engine level: tests/ScoutAudit.Core.Tests/SharedMachineTests.cs.

Describe 'Safe on a shared machine' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        $nobody = 65534
        $victimContent = "root's own content`n"
        $since = [datetimeoffset]::new(2026, 2, 13, 0, 0, 0, [timespan]::Zero)
        # Far above the few hundred MiB a query needs, far below what reading /dev/zero whole takes.
        $heapLimit = '0x40000000'

        # Why the attacks cannot run here, or $null. Under CI=true they must run (tests/Shared/Privileged.cs: RequiredByCi).
        $whyNot = $null
        if ($env:CI -ne 'true') {
            if (-not $IsLinux) { $whyNot = 'needs Linux (setpriv, FIFOs, /proc)' }
            elseif ((& id -u) -ne '0') { $whyNot = 'needs root, to run the attacker''s steps as another user with setpriv (run as root, or under CI=true)' }
            elseif (-not (Get-Command setpriv -CommandType Application -ErrorAction SilentlyContinue)) { $whyNot = 'needs setpriv (util-linux) to act as another user' }
            elseif (-not (Get-Command flock -CommandType Application -ErrorAction SilentlyContinue)) { $whyNot = 'needs flock (util-linux) to hold a lock as another user' }
        }

        function Skip-UnlessAttackable {
            if ($whyNot) { Set-ItResult -Skipped -Because $whyNot }
        }

        # The attacker's step: a command run as nobody (uid and gid 65534, no supplementary groups).
        function Invoke-AsNobody {
            param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Command)
            $said = & setpriv --reuid=$nobody --regid=$nobody --clear-groups @Command 2>&1
            if ($LASTEXITCODE -ne 0) { throw "As nobody, '$($Command -join ' ')' failed (exit code $LASTEXITCODE): $said" }
        }

        # The attacker's script, run by sh as nobody; $0, $1... are the arguments.
        function Invoke-ShAsNobody {
            param([Parameter(Mandatory)] [string] $Script, [string[]] $Argument = @())
            Invoke-AsNobody -Command (@('sh', '-c', $Script) + $Argument)
        }

        function Assert-VictimUntouched([string] $Victim) {
            [System.IO.File]::ReadAllText($Victim) | Should -BeExactly $victimContent -Because 'no write of the module may reach a file of root''s through a name the attacker chose'
            [System.IO.File]::GetUnixFileMode($Victim) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') -Because 'nor change its mode'
        }

        # Writes in a directory others may change only when allowed: the switch of this module's version
        # (an older one has no such switch, and writes there regardless).
        function Enable-SharedWrites([string] $Path) {
            if ((Get-Command Set-ScoutAuditLog).Parameters.ContainsKey('AllowSharedDirectory')) {
                Set-ScoutAuditLog -Path $Path -AllowSharedDirectory
            }
        }

        # Three events in the log, closed; returns where its checkpoint for the receiver lies:
        # <log>.forward-<first 8 hex digits of the SHA-256 of the endpoint's absolute URL>.json (a URL
        # without a path posts to /v1/logs).
        function New-ForwardedLog([string] $Log, $Receiver) {
            Enable-SharedWrites $Log
            1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Reason "event $_" -Path $Log -WarningAction SilentlyContinue }
            Close-ScoutAuditLog -Path $Log
            $url = ([uri]"$($Receiver.Endpoint)/v1/logs").AbsoluteUri
            $hash = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($url)), 0, 4).ToLowerInvariant()
            "$Log.forward-$hash.json"
        }

        # The error a command throws or writes (as -ErrorAction Stop makes it), or $null.
        function Get-CommandError([scriptblock] $Command) {
            try {
                $null = & $Command
                $null
            }
            catch {
                $_
            }
        }

        # PIDs an attacker sprays: the one of the process given (anyone sees it in /proc) and the next
        # $Count after the highest in use.
        function Get-SprayedPid([int] $Process, [int] $Count = 200) {
            $highest = (Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$' | ForEach-Object { [int]$_.Name } | Measure-Object -Maximum).Maximum
            @($Process) + @(($highest + 1)..($highest + $Count))
        }

        # Links, as nobody, named <prefix><pid><suffix> for each sprayed PID, to $Target.
        function New-SprayedLink([string] $Prefix, [string] $Suffix, [int[]] $Pids, [string] $Target) {
            Invoke-ShAsNobody -Script 'target=$0; prefix=$1; suffix=$2; shift 2; for p in "$@"; do ln -s "$target" "$prefix$p$suffix" || exit 1; done' `
                -Argument (@($Target, $Prefix, $Suffix) + @($Pids | ForEach-Object { [string]$_ }))
        }

        # A line as the original writes it.
        function Format-Line([datetimeoffset] $At, [string] $Cost, [int] $Number, [int] $Padding = 0) {
            '{{"ts": "{0}", "event": "nav", "session_id": "s", "cost": {1}, "reason": "event {2}{3}"}}' -f
            $At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture), $Cost, $Number, (' ' + 'x' * $Padding)
        }

        # An archive the original made (outside the chain: a query would describe it in the index) of
        # two events costing 0.01 each, and an active file of root's with one event costing 0.001.
        function New-OriginalLog([string] $Path) {
            New-GzipFile -Path (Join-Path (Split-Path $Path) 'audit_20260213_140000.jsonl.gz') -Line @(
                Format-Line $since.AddHours(13) '0.01' 1
                Format-Line $since.AddHours(13).AddSeconds(1) '0.01' 2)
            Set-ScoutAuditLogContent -Path $Path -Line @(Format-Line $since.AddHours(15) '0.001' 3)
        }

        # An original archive of 100 events costing 0.01 each, then an active file of 3,000 events
        # costing 0.001 each (about 600 KiB: more than two blocks of 256 KiB, so a window query reads
        # and writes <log>.blocks), all after $since.
        function New-LongHistory([string] $Path) {
            New-GzipFile -Path (Join-Path (Split-Path $Path) 'audit_20260213_140000.jsonl.gz') -Line @(foreach ($n in 0..99) { Format-Line $since.AddMinutes($n) '0.01' $n 100 })
            Set-ScoutAuditLogContent -Path $Path -Line @(foreach ($n in 0..2999) { Format-Line $since.AddHours(2).AddSeconds($n) '0.001' $n 100 })
        }

        <#
        Runs $Script in a child pwsh with the module loaded and $log set, and returns its Output (what
        the script returned, made JSON), Errors and Warnings (their messages), and TimedOut when it had
        to be killed after $TimeoutSeconds (the guard against a hang). Its GC heap is bounded, so a
        file read without end fails it rather than the machine.
        #>
        function Invoke-InChild {
            param(
                [Parameter(Mandatory)] [string] $Log,
                [Parameter(Mandatory)] [string] $Script,
                [int] $TimeoutSeconds = 60
            )
            $folder = Split-Path (Split-Path $Log)
            $childHome = Join-Path $folder 'home'
            $null = New-Item -ItemType Directory -Path $childHome -Force
            $file = Join-Path $folder ('child-{0}.ps1' -f [guid]::NewGuid().ToString('N'))
            Set-Content -LiteralPath $file -Value @"
Import-Module `$env:SCOUT_TEST_MODULE
`$log = `$env:SCOUT_AUDIT_PATH
`$since = [datetimeoffset]::new(2026, 2, 13, 0, 0, 0, [timespan]::Zero)
function Enable-SharedWrites([string] `$Path) {
    if ((Get-Command Set-ScoutAuditLog).Parameters.ContainsKey('AllowSharedDirectory')) { Set-ScoutAuditLog -Path `$Path -AllowSharedDirectory }
}
`$records = @(try { . {
$Script
} 2>&1 3>&1 } catch { `$_ })
`$result = [ordered]@{
    Output   = @(`$records | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] -and `$_ -isnot [System.Management.Automation.WarningRecord] })
    Errors   = @(`$records | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { `$_.Exception.Message })
    Warnings = @(`$records | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { `$_.Message })
}
'SM-RESULT:' + (`$result | ConvertTo-Json -Depth 5 -Compress)
"@
            $environment = @{ HOME = $childHome; SCOUT_AUDIT_PATH = $Log; DOTNET_GCHeapHardLimit = $heapLimit }
            $child = Start-ChildPwshCapture -ArgumentList @('-File', $file) -Environment $environment
            try {
                $ran = Wait-ChildPwsh -Child $child -TimeoutSeconds $TimeoutSeconds
            }
            catch {
                if ("$_" -notmatch 'did not finish') { throw }
                return [pscustomobject]@{ TimedOut = $true; Output = @(); Errors = @(); Warnings = @(); StdErr = '' }
            }
            $line = @($ran.StdOut -split "`n" | Where-Object { $_.StartsWith('SM-RESULT:') })
            if ($line.Count -ne 1) { throw "The child pwsh gave no result (exit code $($ran.ExitCode)): $($ran.StdOut) $($ran.StdErr)" }
            $result = $line[0].Substring('SM-RESULT:'.Length) | ConvertFrom-Json
            [pscustomobject]@{ TimedOut = $false; Output = @($result.Output); Errors = @($result.Errors); Warnings = @($result.Warnings); StdErr = $ran.StdErr }
        }
    }

    AfterAll {
        Remove-Module ScoutAudit, OtlpReceiver -ErrorAction SilentlyContinue
    }

    BeforeEach {
        # Per test: a shared folder (0777, no sticky bit) for the log, and root's own folder for the victim.
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $shared = Join-Path $folder 'shared'
        $rootOnly = Join-Path $folder 'root'
        $victim = Join-Path $rootOnly 'target'
        $log = Join-Path $shared 'audit.jsonl'
        $receiver = $null
        if (-not $whyNot) {
            $null = New-Item -ItemType Directory -Path $shared, $rootOnly
            # nobody must reach the shared folder; root's folder is root's alone.
            [System.IO.File]::SetUnixFileMode($TestDrive, [System.IO.File]::GetUnixFileMode($TestDrive) -bor [System.IO.UnixFileMode]'OtherExecute')
            [System.IO.File]::SetUnixFileMode($folder, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
            [System.IO.File]::SetUnixFileMode($shared, [System.IO.UnixFileMode]511) # 0777
            [System.IO.File]::SetUnixFileMode($rootOnly, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            [System.IO.File]::WriteAllText($victim, $victimContent)
            [System.IO.File]::SetUnixFileMode($victim, [System.IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log -ErrorAction SilentlyContinue
        if ($receiver) { Stop-OtlpReceiver $receiver }
    }

    Context 'Write-ScoutAuditEvent' {
        It 'refuses a directory every user may write unless -AllowSharedDirectory, naming the directory' {
            Skip-UnlessAttackable

            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            "$failure" | Should -BeLike "The audit log '$log' is not written: its directory '$shared' is not yours alone (every user may write in it (mode 0777, without the sticky bit))*Set-ScoutAuditLog -AllowSharedDirectory*"
            @(Get-ChildItem -LiteralPath $shared -Force) | Should -BeNullOrEmpty -Because 'nothing is made in a directory that is refused'
        }

        It 'does not follow a link put in place of the log to a file of root''s' {
            Skip-UnlessAttackable
            Invoke-AsNobody ln -s $victim $log
            Enable-SharedWrites $log

            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            Assert-VictimUntouched $victim
            "$failure" | Should -BeLike "*'$log' is a symbolic link: ScoutAudit follows no link*"
        }

        It 'does not follow a link swapped in for the log mid-session: the next write fails' {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Reason 'before' -Path $log -WarningAction SilentlyContinue
            Start-Sleep -Milliseconds 50 # past the writer's lease (2 ms): the next command looks at the path again

            Invoke-ShAsNobody -Script 'mv "$0" "$0.moved-away" && ln -s "$1" "$0"' -Argument $log, $victim
            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Reason 'after' -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            Assert-VictimUntouched $victim
            "$failure" | Should -BeLike "*'$log' is a symbolic link*"
            @([System.IO.File]::ReadAllLines("$log.moved-away")).Count | Should -Be 1 -Because 'the event after the swap went nowhere'
        }

        It 'creates nothing through a lock file linked to a path in root''s folder' {
            Skip-UnlessAttackable
            $wanted = Join-Path $rootOnly 'created-by-root'
            Invoke-AsNobody ln -s $wanted "$log.lock"
            Enable-SharedWrites $log

            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            $wanted | Should -Not -Exist -Because 'opening the lock file must not create the link''s target'
            "$failure" | Should -BeLike "*'$log.lock' is a symbolic link*"
            $log | Should -Not -Exist
        }

        It 'writes nothing to a log file another user made in advance (0666)' {
            Skip-UnlessAttackable
            Invoke-ShAsNobody -Script ': > "$0" && chmod 666 "$0"' -Argument $log
            Enable-SharedWrites $log

            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            (Get-Item -LiteralPath $log).Length | Should -Be 0 -Because 'the attacker could read or edit what root writes to their file'
            "$failure" | Should -BeLike "*'$log' belongs to user $nobody (nobody), not to 0 (root) who writes*"
        }

        It 'fails promptly, and does not hang, on a lock file another user made and holds' {
            Skip-UnlessAttackable
            $attacker = Join-Path $folder 'attacker'
            $null = New-Item -ItemType Directory -Path $attacker
            [System.IO.File]::SetUnixFileMode($attacker, [System.IO.UnixFileMode]511)
            $ready = Join-Path $attacker 'holding'
            # nobody makes audit.jsonl.lock (0666), takes an exclusive flock on it and keeps it.
            $holder = [System.Diagnostics.Process]::Start('setpriv', [string[]]@("--reuid=$nobody", "--regid=$nobody", '--clear-groups', 'sh', '-c',
                    'umask 0; exec 9<>"$0"; flock -x 9; : > "$1"; exec sleep 600', "$log.lock", $ready))
            try {
                foreach ($try in 1..200) { if (Test-Path -LiteralPath $ready) { break }; Start-Sleep -Milliseconds 50 }
                $ready | Should -Exist -Because 'the attacker holds the lock before the write'

                $ran = Invoke-InChild -Log $log -Script 'Enable-SharedWrites $log; Write-ScoutAuditEvent nav -Path $log'

                $ran.TimedOut | Should -BeFalse -Because 'a lock held by another user must be an error, not a wait without end'
                $ran.Errors | Should -HaveCount 1
                $ran.Errors[0] | Should -BeLike "*'$log.lock' belongs to user $nobody (nobody), not to 0 (root) who writes*"
                $log | Should -Not -Exist -Because 'the event was not written'
            }
            finally {
                $holder.Kill()
                $holder.WaitForExit()
                $holder.Dispose()
            }
        }

        It 'refuses a FIFO put in place of the log, without waiting on it' {
            Skip-UnlessAttackable
            Invoke-AsNobody mkfifo $log

            $ran = Invoke-InChild -Log $log -Script 'Enable-SharedWrites $log; Write-ScoutAuditEvent nav -Path $log'

            $ran.TimedOut | Should -BeFalse -Because 'a FIFO is never opened in a way that waits'
            $ran.Errors | Should -HaveCount 1
            $ran.Errors[0] | Should -BeLike "*'$log' is a FIFO (named pipe), not a regular file*"
        }
    }

    Context 'Write-ScoutAuditEvent in a sticky directory (1777, as /tmp)' {
        BeforeEach {
            if (-not $whyNot) { [System.IO.File]::SetUnixFileMode($shared, [System.IO.UnixFileMode]1023) } # 1777
        }

        It 'writes there without -AllowSharedDirectory' {
            Skip-UnlessAttackable

            Write-ScoutAuditEvent nav -Path $log -WarningVariable said -WarningAction SilentlyContinue

            @([System.IO.File]::ReadAllLines($log)).Count | Should -Be 1
            @($said | Where-Object { "$_" -like '*not yours alone*' }) | Should -BeNullOrEmpty -Because 'others may not rename or remove the writer''s files there'
        }

        It 'refuses <File> made there in advance by nobody' -ForEach @(
            @{ File = 'audit.jsonl' }
            @{ File = 'audit.jsonl.lock' }
        ) {
            Skip-UnlessAttackable
            $theirs = Join-Path $shared $File
            Invoke-ShAsNobody -Script ': > "$0" && chmod 666 "$0"' -Argument $theirs

            $failure = Get-CommandError { Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue -ErrorAction Stop }

            # Where fs.protected_regular is on (a systemd default; 0 here), the kernel refuses root's open of
            # another user's file in a sticky directory before the module looks at it: refused all the same.
            $kernelRefuses = (Test-Path /proc/sys/fs/protected_regular) -and (Get-Content /proc/sys/fs/protected_regular) -ne '0'
            $expected = if ($kernelRefuses) { "*'$theirs'*Permission denied*" } else { "*'$theirs' belongs to user $nobody (nobody), not to 0 (root) who writes*" }
            "$failure" | Should -BeLike $expected
            (Get-Item -LiteralPath $theirs).Length | Should -Be 0
            if ($File -ne 'audit.jsonl') { $log | Should -Not -Exist -Because 'the event was not written' }
        }
    }

    Context 'Get-ScoutAuditEvent and Get-ScoutAuditSpend' {
        It '<Command> appends no hint through an archive index linked to a file of root''s, and answers right' -ForEach @(
            @{ Command = 'Get-ScoutAuditEvent'; Query = { @(Get-ScoutAuditEvent -Path $log -Since $since -WarningVariable said -WarningAction SilentlyContinue).Count } }
            @{ Command = 'Get-ScoutAuditSpend'; Query = { (Get-ScoutAuditSpend -Path $log -Since $since -WarningVariable said -WarningAction SilentlyContinue).Events } }
        ) {
            Skip-UnlessAttackable
            New-OriginalLog $log
            Invoke-AsNobody ln -s $victim (Join-Path $shared 'audit.index.jsonl')
            $said = $null

            $events = . $Query

            Assert-VictimUntouched $victim
            $events | Should -Be 3
            @($said | Where-Object { "$_" -like "The archive index is not read:*is a symbolic link*" }) | Should -HaveCount 1 -Because 'the refused sidecar is said (SidecarRefused)'
        }

        It 'answers right, without waiting, when <Sidecar> is a FIFO' -ForEach @(
            @{ Sidecar = 'audit.index.jsonl' }
            @{ Sidecar = 'audit.jsonl.blocks' }
        ) {
            Skip-UnlessAttackable
            New-LongHistory $log
            Invoke-AsNobody mkfifo (Join-Path $shared $Sidecar)

            $ran = Invoke-InChild -Log $log -Script @'
$spend = Get-ScoutAuditSpend -Path $log -Since $since
[pscustomobject]@{ Cost = [string]$spend.Cost; Events = $spend.Events; Later = @(Get-ScoutAuditEvent -Path $log -Since $since.AddHours(2)).Count }
'@

            $ran.TimedOut | Should -BeFalse -Because 'a FIFO is never opened in a way that waits'
            $ran.Errors | Should -BeNullOrEmpty
            $ran.Output | Should -HaveCount 1
            [decimal]$ran.Output[0].Cost | Should -Be 4
            $ran.Output[0].Events | Should -Be 3100
            $ran.Output[0].Later | Should -Be 3000
        }

        It 'answers right, in a bounded heap, when the archive index is a link to /dev/zero' {
            Skip-UnlessAttackable
            New-OriginalLog $log
            Invoke-AsNobody ln -s /dev/zero (Join-Path $shared 'audit.index.jsonl')

            $ran = Invoke-InChild -Log $log -Script @'
[pscustomobject]@{ Events = @(Get-ScoutAuditEvent -Path $log -Since $since).Count; Cost = [string](Get-ScoutAuditSpend -Path $log -Since $since).Cost }
'@

            $ran.TimedOut | Should -BeFalse
            $ran.Errors | Should -BeNullOrEmpty
            $ran.Output | Should -HaveCount 1
            $ran.Output[0].Events | Should -Be 3
            [decimal]$ran.Output[0].Cost | Should -Be 0.021
        }
    }

    Context 'Test-ScoutAuditLog' {
        It 'warns that a log lies in a directory others may change, and a query says so too' {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            Close-ScoutAuditLog -Path $log

            $null = Test-ScoutAuditLog -Path $log -WarningVariable verifying -WarningAction SilentlyContinue
            $null = Get-ScoutAuditEvent -Path $log -WarningVariable querying -WarningAction SilentlyContinue

            @($verifying | Where-Object { "$_" -like "'$log' lies in a directory others may change (every user may write in it (mode 0777, without the sticky bit))*" }) | Should -HaveCount 1
            @($querying | Where-Object { "$_" -like "The audit log '$log' lies in a directory others may change: '$shared'*" }) | Should -HaveCount 1
        }

        It 'writes nothing through verification state names sprayed with links to a file of root''s' {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            Close-ScoutAuditLog -Path $log
            # The names its temporary file had before: <log>.verified.<pid>.tmp.
            New-SprayedLink -Prefix "$log.verified." -Suffix '.tmp' -Pids (Get-SprayedPid $PID) -Target $victim

            $null = Test-ScoutAuditLog -Path $log -WarningAction SilentlyContinue

            Assert-VictimUntouched $victim
            $state = Get-Item -LiteralPath "$log.verified" -Force
            $state.LinkType | Should -BeNullOrEmpty
            $state.UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }

        It 'reports an archive index that is <Name> as a finding, without waiting or reading it' -ForEach @(
            @{ Name = 'a link to /dev/zero'; Make = 'ln -s /dev/zero "$0"'; Says = 'is a symbolic link' }
            @{ Name = 'a FIFO'; Make = 'mkfifo "$0"'; Says = 'is a FIFO (named pipe), not a regular file' }
        ) {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            Close-ScoutAuditLog -Path $log
            $index = Join-Path $shared 'audit.index.jsonl'
            Invoke-ShAsNobody -Script ('mv "$0" "$0.moved-away" && ' + $Make) -Argument $index

            $ran = Invoke-InChild -Log $log -Script @'
Test-ScoutAuditLog -Path $log | ForEach-Object {
    if ($_ -is [ScoutAudit.IntegrityFinding]) { [pscustomobject]@{ Kind = [string]$_.Kind; Path = $_.Path; Message = $_.Message } }
}
'@

            $ran.TimedOut | Should -BeFalse
            @($ran.Output | Where-Object { $_.Path -eq $index -and $_.Message -like "*$Says*" }) | Should -HaveCount 1 -Because 'the index is named as not read, and why'
        }
    }

    Context 'Test-ScoutAuditLog and Send-ScoutAuditEvent with a state sidecar of another user' {
        # The verification state (<log>.verified) and the forwarding checkpoint are sidecars too
        # (SidecarFile: "a verification state, a forwarding checkpoint"): a FIFO or a link to /dev/zero
        # of nobody's in their place must be neither waited on nor read whole.
        It 'Test-ScoutAuditLog verifies, without waiting or reading it, when its state (.verified) is <Name>' -ForEach @(
            @{ Name = 'a FIFO'; Make = 'mkfifo "$0"' }
            @{ Name = 'a link to /dev/zero'; Make = 'ln -s /dev/zero "$0"' }
        ) {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            Close-ScoutAuditLog -Path $log
            Invoke-ShAsNobody -Script $Make -Argument "$log.verified"

            $ran = Invoke-InChild -Log $log -Script @'
Test-ScoutAuditLog -Path $log | Where-Object { $_ -isnot [ScoutAudit.IntegrityFinding] } | ForEach-Object { [pscustomobject]@{ Status = [string]$_.Status } }
'@

            $ran.TimedOut | Should -BeFalse -Because 'a FIFO is never opened in a way that waits'
            $ran.Errors | Should -BeNullOrEmpty -Because 'a state that is not read only costs the next check its saving'
            @($ran.Output | Where-Object Status) | Should -HaveCount 1
        }

        It 'Send-ScoutAuditEvent neither waits nor reads without end when its checkpoint is <Name>' -ForEach @(
            @{ Name = 'a FIFO'; Make = 'mkfifo "$0"' }
            @{ Name = 'a link to /dev/zero'; Make = 'ln -s /dev/zero "$0"' }
        ) {
            Skip-UnlessAttackable
            $receiver = Start-OtlpReceiver
            $checkpoint = New-ForwardedLog $log $receiver
            Invoke-ShAsNobody -Script $Make -Argument $checkpoint

            $ran = Invoke-InChild -Log $log -Script ('[pscustomobject]@{{ Sent = (Send-ScoutAuditEvent -Endpoint ''{0}'' -Path $log).Sent }}' -f $receiver.Endpoint)

            $ran.TimedOut | Should -BeFalse -Because 'a FIFO is never opened in a way that waits'
            @($ran.Errors | Where-Object { $_ -match 'OutOfMemory|memory|too long' }) | Should -BeNullOrEmpty -Because '/dev/zero is not read whole'
            # Either the checkpoint is refused, by name, or the log is sent from its start: both are safe.
            $refused = @($ran.Errors | Where-Object { $_ -like "*'$checkpoint'*" }).Count -eq 1
            $sentAll = @($ran.Output | Where-Object { $_.Sent -eq 3 }).Count -eq 1
            ($refused -or $sentAll) | Should -BeTrue -Because "the checkpoint is refused by name or the whole log is sent (errors: $($ran.Errors -join '; '))"
        }
    }

    Context 'Send-ScoutAuditEvent' {
        It 'writes nothing through checkpoint temporary names sprayed with links to a file of root''s' {
            Skip-UnlessAttackable
            $receiver = Start-OtlpReceiver
            $checkpoint = New-ForwardedLog $log $receiver # and its old temporary names are sprayed
            New-SprayedLink -Prefix "$checkpoint." -Suffix '.tmp' -Pids (Get-SprayedPid $PID) -Target $victim

            $sent = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -WarningAction SilentlyContinue

            Assert-VictimUntouched $victim
            $sent.Sent | Should -Be 3
            $sent.CheckpointPath | Should -Be $checkpoint
            $saved = Get-Item -LiteralPath $checkpoint -Force
            $saved.LinkType | Should -BeNullOrEmpty
            $saved.UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    Context 'Remove-ScoutAuditArchive' {
        It 'refuses to record a removal through an archive index linked to a file of root''s, and keeps the archive' {
            Skip-UnlessAttackable
            Enable-SharedWrites $log
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue
            $archives = @(Get-ChildItem -LiteralPath $shared -Filter 'audit_*.jsonl.gz')
            $archives | Should -HaveCount 1
            $index = Join-Path $shared 'audit.index.jsonl'
            Invoke-ShAsNobody -Script 'mv "$0" "$0.moved-away" && ln -s "$1" "$0"' -Argument $index, $victim

            $failure = Get-CommandError { Remove-ScoutAuditArchive -Path $log -Before ([datetimeoffset]::UtcNow.AddDays(1)) -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop }

            Assert-VictimUntouched $victim
            $archives[0].FullName | Should -Exist -Because 'an archive whose removal cannot be recorded in the chain stays'
            "$failure" | Should -BeLike "*'$index' is a symbolic link*"
        }
    }
}
