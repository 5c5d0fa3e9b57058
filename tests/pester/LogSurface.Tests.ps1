#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The log-level commands as a user pipes into them: each acts once per log however many objects
# name it, archives flow from Get-ScoutAuditArchive into Remove-ScoutAuditArchive, retention says
# what it removes, and Test-ScoutAuditLog writes nothing but its verification state.

BeforeAll {
    Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
    Import-Module (Get-ScoutAuditModulePath) -Force
    $savedAuditPath = $env:SCOUT_AUDIT_PATH

    # What a script prints in a child pwsh (What if: lines go to the host, not to a stream).
    function Invoke-Script([string] $Folder, [string] $Code) {
        # The script lies outside the log's folder, which the tests compare before and after.
        $script = Join-Path $TestDrive "script-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $script -Value "Import-Module '$(Get-ScoutAuditModulePath)'`n$Code"
        Invoke-ChildPwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -Environment @{
            HOME = $Folder; SCOUT_AUDIT_PATH = (Join-Path $Folder 'default.jsonl'); COLUMNS = '80'
        }
    }

    # Lines of text that match a pattern, as an array however many there are.
    function Select-Line([string] $Text, [string] $Pattern) { @($Text -split "`r?`n" | Where-Object { $_ -match $Pattern }) }
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    $env:SCOUT_AUDIT_PATH = $savedAuditPath
}

Describe 'Log-level commands given the events of a log' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
        1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Cost 0.5 -Path $log }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'Invoke-ScoutAuditRotation -WhatIf says once that it would rotate the log of three piped events' {
        $run = Invoke-Script $folder "Get-ScoutAuditEvent -Path '$log' | Invoke-ScoutAuditRotation -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        Select-Line $run.StdOut '^What if: .*Seal the active file' | Should -HaveCount 1
    }

    It 'Invoke-ScoutAuditRotation rotates the log of three piped events once, after reading them' {
        $said = Get-ScoutAuditEvent -Path $log | Invoke-ScoutAuditRotation -Confirm:$false -Verbose 4>&1

        @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match 'Seal the active file' }) | Should -HaveCount 1
        $archives = @($said | Where-Object { $_ -is [ScoutAudit.ArchiveInfo] })
        $archives | Should -HaveCount 1
        $archives[0].Lines | Should -Be 3
    }

    It 'Get-ScoutAuditLog describes the log of three piped events once' {
        $info = @(Get-ScoutAuditEvent -Path $log | Get-ScoutAuditLog)

        $info | Should -HaveCount 1
        $info[0].Path | Should -Be $log
    }

    It 'Close-ScoutAuditLog closes the log of three piped events once' {
        $said = Get-ScoutAuditEvent -Path $log | Close-ScoutAuditLog -Verbose 4>&1

        @($said | Where-Object { "$_" -match '^Closed the audit log' }) | Should -HaveCount 1
    }

    It 'Test-ScoutAuditLog verifies the log of three piped events once' {
        $summaries = @(Get-ScoutAuditEvent -Path $log | Test-ScoutAuditLog | Where-Object { $_ -is [ScoutAudit.LogVerification] })

        $summaries | Should -HaveCount 1
        @(Get-ScoutAuditEvent -Path $log | Test-ScoutAuditLog -Quiet) | Should -Be @($true)
    }

    It 'Remove-ScoutAuditArchive -WhatIf names each archive once for the log of three piped events' {
        1..2 | ForEach-Object { $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false; Write-ScoutAuditEvent nav -Path $log }
        Close-ScoutAuditLog -Path $log

        $run = Invoke-Script $folder "Get-ScoutAuditEvent -Path '$log' | Remove-ScoutAuditArchive -Keep 0 -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        Select-Line $run.StdOut '^What if: .*Remove the archive' | Should -HaveCount 2
        @(Get-ChildItem -LiteralPath $folder -Filter '*.jsonl.gz') | Should -HaveCount 2
    }

    It 'acts once on each of two logs whose events are piped together' {
        $second = Join-Path $folder 'second.jsonl'
        1..2 | ForEach-Object { Write-ScoutAuditEvent brief -Path $second }

        $info = @(@(Get-ScoutAuditEvent -Path $log) + @(Get-ScoutAuditEvent -Path $second) + @(Get-ScoutAuditEvent -Path $log) | Get-ScoutAuditLog)

        $info.Path | Should -Be @($log, $second)
        Close-ScoutAuditLog -Path $second
    }
}

Describe 'Archives as objects of their own' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
        # Three archives of one event each, oldest first.
        $archives = foreach ($n in 1..3) {
            Write-ScoutAuditEvent nav -InputTokens $n -Path $log
            (Invoke-ScoutAuditRotation -Path $log -Confirm:$false).Path
        }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'Get-ScoutAuditArchive lists a log''s archives oldest first, each naming its log' {
        $listed = @(Get-ScoutAuditArchive -Path $log)

        $listed.Path | Should -Be $archives
        $listed.LogPath | Should -Be @($log, $log, $log)
        $listed.Lines | Should -Be @(1, 1, 1)
        $listed[0] | Should -BeOfType ScoutAudit.ArchiveInfo
    }

    It 'Get-ScoutAuditArchive lists the archives of the log of piped events once' {
        Write-ScoutAuditEvent nav -Path $log

        @(Get-ScoutAuditEvent -Path $log | Get-ScoutAuditArchive).Path | Should -Be $archives
    }

    It 'Get-ScoutAuditArchive of a log that is not there is an ObjectNotFound error, and no answer' {
        $missing = Join-Path $folder 'typo.jsonl'

        $listed = @(Get-ScoutAuditArchive -Path $missing -ErrorVariable failures -ErrorAction SilentlyContinue)

        $listed | Should -HaveCount 0
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $missing
    }

    It 'Remove-ScoutAuditArchive removes exactly the archives piped to it, recording each in the chain' {
        $removed = @(Get-ScoutAuditArchive -Path $log | Where-Object Path -ne $archives[1] | Remove-ScoutAuditArchive -Reason 'ticket 42' -Confirm:$false -PassThru)

        $removed.Path | Should -Be @($archives[0], $archives[2])
        $removed.LogPath | Should -Be @($log, $log)
        @(Get-ScoutAuditArchive -Path $log).Path | Should -Be @($archives[1])
        @(Get-Content -LiteralPath (Join-Path $folder 'audit.index.jsonl') | Where-Object { $_ -match '"removed"' -and $_ -match 'ticket 42' }) | Should -HaveCount 2
        $verification = Test-ScoutAuditLog -Path $log
        $verification.Status | Should -Be 'Verified'
        $verification.Removed | Should -Be 2
    }

    It 'Remove-ScoutAuditArchive -WhatIf names each piped archive once and removes none' {
        $run = Invoke-Script $folder "`$a = @(Get-ScoutAuditArchive -Path '$log'); `$a + `$a | Remove-ScoutAuditArchive -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        $said = Select-Line $run.StdOut '^What if: .*Remove the archive'
        $said | Should -HaveCount 3
        foreach ($archive in $archives) { @($said -match [regex]::Escape($archive)) | Should -HaveCount 1 }
        $archives | ForEach-Object { $_ | Should -Exist }
    }

    It 'Remove-ScoutAuditArchive says which piped archive is no longer there, and removes the others' {
        $listed = @(Get-ScoutAuditArchive -Path $log)
        $null = $listed[0] | Remove-ScoutAuditArchive -Confirm:$false

        $removed = @($listed | Remove-ScoutAuditArchive -Confirm:$false -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $removed.Path | Should -Be $archives[1..2]
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveNotFound,*'
        $failures[0].TargetObject.Path | Should -Be $archives[0]
    }

    It 'Remove-ScoutAuditArchive leaves an archive whose bytes changed since it was listed' {
        $listed = @(Get-ScoutAuditArchive -Path $log)
        [System.IO.File]::AppendAllText($archives[0], 'x')

        $removed = @($listed[0] | Remove-ScoutAuditArchive -Confirm:$false -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $removed | Should -HaveCount 0
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveChanged,*'
        $archives[0] | Should -Exist
    }

    It 'Remove-ScoutAuditArchive declares -Before or -Keep as mandatory where a log is given, not checked at run time' {
        $sets = (Get-Command Remove-ScoutAuditArchive).ParameterSets
        $byLog = @($sets | Where-Object { $_.Parameters.Name -contains 'Path' })

        $byLog | Should -HaveCount 2
        foreach ($set in $byLog) { @($set.Parameters | Where-Object { $_.IsMandatory -and $_.Name -in 'Before', 'Keep' }) | Should -HaveCount 1 }
        ($sets | Where-Object Name -eq InputObject).Parameters.Name | Should -Not -Contain 'Path'
    }

    It 'Remove-ScoutAuditArchive -Path without -Before or -Keep is refused by the binder, removing nothing' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddArgument((Get-ScoutAuditModulePath)).AddStatement().AddCommand('Remove-ScoutAuditArchive').AddParameter('Path', $log).AddParameter('Confirm', $false)
            # A shell without a host cannot prompt for the mandatory parameter: the binder's error says which.
            $null = $shell.Invoke()
            @($shell.Streams.Error) | Should -HaveCount 1
            $shell.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'MissingMandatoryParameter,*'
            "$($shell.Streams.Error[0])" | Should -BeLike '*Keep*'
        }
        finally { $shell.Dispose() }

        $archives | ForEach-Object { $_ | Should -Exist }
    }

    It 'Remove-ScoutAuditArchive that cannot record a removal is ArchiveRemoveFailed, of its own, and keeps the archive' {
        Close-ScoutAuditLog -Path $log
        $key = New-SigningKey $folder
        Set-ScoutAuditLog -Path $log -SigningKey $key.Private
        Write-ScoutAuditEvent nav -Path $log
        $signed = (Invoke-ScoutAuditRotation -Path $log -Confirm:$false).Path
        Set-ScoutAuditLog -Path $log -SigningKey ''

        $removed = @(Remove-ScoutAuditArchive -Path $log -Keep 0 -Confirm:$false -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $removed | Should -HaveCount 0
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveRemoveFailed,*'
        "$failures" | Should -BeLike '*signed*signing key*'
        $archives + $signed | ForEach-Object { $_ | Should -Exist }
    }

    It 'Get-ScoutAuditLog refuses an archive piped to it, naming its log, and describes nothing' {
        $archive = Get-ScoutAuditArchive -Path $log | Select-Object -First 1

        { $archive | Get-ScoutAuditLog } | Should -Throw -ErrorId 'AuditLogPathNotLog,*' -ExpectedMessage "*is an archive of the log '$log'*"
    }
}

Describe 'Invoke-ScoutAuditRotation and the log''s retention' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
        # Three archives, then an event in the active file for the next rotation to archive.
        $archives = foreach ($n in 1..3) {
            Write-ScoutAuditEvent nav -InputTokens $n -Path $log
            (Invoke-ScoutAuditRotation -Path $log -Confirm:$false).Path
        }
        Write-ScoutAuditEvent nav -InputTokens 4 -Path $log
        Close-ScoutAuditLog -Path $log
    }

    AfterEach {
        Set-ScoutAuditLog -Path $log -KeepArchives $null
        Close-ScoutAuditLog -Path $log
    }

    It '-WhatIf with KeepArchives 1 removes nothing and names each archive that would go, and the rule' {
        $before = @(Get-ChildItem -LiteralPath $folder | ForEach-Object { "$($_.Name) $($_.Length)" })

        $run = Invoke-Script $folder "Set-ScoutAuditLog -Path '$log' -KeepArchives 1; Invoke-ScoutAuditRotation -Path '$log' -WhatIf"

        $run.StdErr | Should -BeNullOrEmpty
        $said = Select-Line $run.StdOut '^What if: '
        $said | Should -HaveCount 4
        $said[0] | Should -Match 'Seal the active file'
        foreach ($archive in $archives) {
            @($said -match [regex]::Escape($archive)) | Should -HaveCount 1
        }
        @($said -match [regex]::Escape("retention setting (remove archives beyond the newest 1)")) | Should -HaveCount 3
        @(Get-ChildItem -LiteralPath $folder | ForEach-Object { "$($_.Name) $($_.Length)" }) | Should -Be $before
    }

    It '-WhatIf leaves a log the session does not know unknown to it' {
        $other = Join-Path $folder 'other.jsonl'
        Set-ScoutAuditLogContent -Path $other -Line (New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav)

        Invoke-ScoutAuditRotation -Path $other -WhatIf

        (Get-ScoutAuditLog).Path | Should -Not -Contain $other
    }

    It 'says each removal in verbose and lists the removed archives in RemovedByRetention of the new archive' {
        Set-ScoutAuditLog -Path $log -KeepArchives 1

        $said = Invoke-ScoutAuditRotation -Path $log -Confirm:$false -Verbose 4>&1
        $archive = @($said | Where-Object { $_ -is [ScoutAudit.ArchiveInfo] -or $_.PSObject.BaseObject -is [ScoutAudit.ArchiveInfo] })

        $archive | Should -HaveCount 1
        $archive[0].Lines | Should -Be 1
        $archive[0].RemovedByRetention.Path | Should -Be $archives
        $archive[0].RemovedByRetention.LogPath | Should -Be @($log, $log, $log)
        $removals = @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match '^Removed .* under the log''s retention setting' })
        $removals | Should -HaveCount 3
        $archives | ForEach-Object { $_ | Should -Not -Exist }
        @(Get-ScoutAuditArchive -Path $log).Path | Should -Be @($archive[0].Path)
        (Test-ScoutAuditLog -Path $log).Status | Should -Be 'Verified'
    }

    It 'gives an empty RemovedByRetention when the log keeps every archive' {
        $archive = Invoke-ScoutAuditRotation -Path $log -Confirm:$false

        @($archive.RemovedByRetention) | Should -HaveCount 0
        $archives | ForEach-Object { $_ | Should -Exist }
    }
}

Describe 'Test-ScoutAuditLog writes nothing but its verification state; Register-ScoutAuditArchive chains' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
        # The original's history: an archive with its naming and no index, and an active file.
        $original = Join-Path $folder 'audit_20260301_010000.jsonl.gz'
        New-GzipFile $original (New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, 1, 0, 0, [DateTimeKind]::Utc)) -Event nav)
        Set-ScoutAuditLogContent -Path $log -Line (New-ScoutAuditLine -Utc ([datetime]::new(2026, 3, 1, 2, 0, 0, [DateTimeKind]::Utc)) -Event nav)
        function Get-FolderState { @(Get-ChildItem -LiteralPath $folder | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'Test-ScoutAuditLog has no -WhatIf or -Confirm: it asks nothing, even under $ConfirmPreference Low' {
        (Get-Command Test-ScoutAuditLog).Parameters.Keys | Should -Not -Contain 'WhatIf'
        (Get-Command Test-ScoutAuditLog).Parameters.Keys | Should -Not -Contain 'Confirm'

        $run = Invoke-Script $folder "`$ConfirmPreference = 'Low'; Test-ScoutAuditLog -Path '$log' -Quiet -AllowUnchained"

        $run.StdErr | Should -BeNullOrEmpty
        $run.StdOut.Trim() | Should -Be 'True'
        "$log.verified" | Should -Exist
    }

    It 'Test-ScoutAuditLog leaves every file of the log as it was and writes only the verification state' {
        $before = Get-FolderState

        $null = Test-ScoutAuditLog -Path $log

        $after = Get-FolderState
        @($after | Where-Object { $_ -notin $before }).ForEach({ ($_ -split ' ')[0] }) | Should -Be @('audit.jsonl.verified')
        @($before | Where-Object { $_ -notin $after }) | Should -BeNullOrEmpty
    }

    It 'Test-ScoutAuditLog -Adopt is refused, naming Register-ScoutAuditArchive, and writes nothing' {
        $before = Get-FolderState

        { Test-ScoutAuditLog -Path $log -Adopt } | Should -Throw -ErrorId 'ParameterMoved,*' -ExpectedMessage '*Register-ScoutAuditArchive -Path*'

        Get-FolderState | Should -Be $before
    }

    It 'Register-ScoutAuditArchive adds the archives outside the chain and returns them; the log then verifies' {
        $registered = @(Register-ScoutAuditArchive -Path $log -Confirm:$false)

        $registered.Path | Should -Be @($original)
        $registered.LogPath | Should -Be @($log)
        $registered.Lines | Should -Be @(1)
        (Test-ScoutAuditLog -Path $log).Status | Should -Be 'Verified'
        @(Register-ScoutAuditArchive -Path $log -Confirm:$false) | Should -HaveCount 0 -Because 'an archive is chained once'
    }

    It 'Register-ScoutAuditArchive asks at ConfirmImpact High and changes nothing under -WhatIf' {
        $before = Get-FolderState

        $null = Register-ScoutAuditArchive -Path $log -WhatIf

        Get-FolderState | Should -Be $before
        (Get-Command Register-ScoutAuditArchive).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'Register-ScoutAuditArchive of a log that is not there is an ObjectNotFound error' {
        $missing = Join-Path $folder 'typo.jsonl'

        $registered = @(Register-ScoutAuditArchive -Path $missing -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)

        $registered | Should -HaveCount 0
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing | Should -Not -Exist
    }
}

BeforeDiscovery {
    # Every cmdlet's page (about_ topics have no examples section).
    $pages = @(Get-ChildItem ([IO.Path]::GetFullPath("$PSScriptRoot/../../docs/en-US")) -Filter '*-*.md' | ForEach-Object BaseName)
}

Describe 'What the log-level cmdlets show' {
    BeforeAll {
        $root = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
    }

    It 'shows archives at 80 columns: the log once, then each archive''s name, lines, size and newest event' {
        $log = Join-Path $folder 'runbook-nightly-costs.jsonl'
        1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log; $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false }
        Close-ScoutAuditLog -Path $log

        $text = Get-ScoutAuditArchive -Path $log | Out-String -Width 80
        $lines = $text -split "`r?`n" | Where-Object { $_ }

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because $_ }
        # The log once, above its archives (a path longer than the line wraps, as any text does).
        @($lines -match '^ +Log: ') | Should -HaveCount 1
        ($text -replace '\r?\n') | Should -Match ([regex]::Escape($log))
        @($lines -match '^Name +Lines +Bytes +LastTimestamp$') | Should -HaveCount 1
        # A name longer than its column wraps onto the next line; the numbers and the time stay whole.
        @($lines -match '^runbook-nightly-costs_\d{8}_\d{6}_\d{4}\S* +1 +\d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$') | Should -HaveCount 2
        @($lines -match '^\S*\.gz *$') | Should -HaveCount 2
        $text | Should -Not -Match ([char]0x2026)
    }

    It '<_> shows the output of every example, or says it prints nothing' -ForEach $pages {
        $page = Get-Content -Raw (Join-Path $root "docs/en-US/$_.md")
        $examples = [regex]::Split($page.Substring($page.IndexOf('## EXAMPLES'), $page.IndexOf('## PARAMETERS') - $page.IndexOf('## EXAMPLES')), '(?m)^### ') | Select-Object -Skip 1

        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example | Should -Match '(?s)```powershell\n.*?```\s*(```output\n|Prints nothing)' -Because "the example '$(($example -split "`n")[0])' shows what it prints"
        }
    }

    It 'keeps an example''s output out of its code in Get-Help, and in its remarks' {
        $example = @((Get-Help Get-ScoutAuditArchive).Examples.Example)[0]

        $example.Code | Should -Not -Match 'LastTimestamp'
        ($example.Remarks.Text -join "`n") | Should -Match 'Name +Lines +Bytes +LastTimestamp'
    }
}
