# -Path as users type it: a blank one is refused, a mistyped one is not read silently as an
# empty log, and the default log that was never written is simply empty.

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    $savedAuditPath = $env:SCOUT_AUDIT_PATH
}

AfterAll {
    $env:SCOUT_AUDIT_PATH = $savedAuditPath
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'A -Path that names no log' {
    BeforeEach {
        $directory = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $directory
        $log = Join-Path $directory 'runbook.jsonl'
        Write-ScoutAuditEvent nav -Cost 0.04 -Path $log
        Close-ScoutAuditLog -Path $log
        $typo = Join-Path $directory 'runbok.jsonl'
    }

    It 'answers nothing, with an ObjectNotFound error naming the path, when a budget guard reads a log that does not exist' {
        $spend = Get-ScoutAuditSpend -Hours 1 -Path $typo -ErrorVariable failed -ErrorAction SilentlyContinue

        $spend | Should -BeNullOrEmpty -Because 'a row of Cost 0 would pass the budget check'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AuditLogNotFound,ScoutAudit.PowerShell.Commands.GetScoutAuditSpendCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($failed[0])" | Should -BeLike "*No audit log at '$typo'*"
        { Get-ScoutAuditSpend -Hours 1 -Path $typo -ErrorAction Stop } | Should -Throw -ErrorId 'AuditLogNotFound,*'
    }

    It 'answers nothing for events and accuracy too, reads the logs that exist, and creates no file there' {
        Get-ScoutAuditEvent -Path $typo -ErrorVariable eventsFailed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $accuracy = Get-ScoutAuditAccuracy -Path $typo, $log -ErrorVariable accuracyFailed -ErrorAction SilentlyContinue

        $eventsFailed | Should -HaveCount 1
        $accuracyFailed | Should -HaveCount 1
        $accuracy.Path | Should -Be $log -Because 'the log that exists is still answered'
        @(Get-ChildItem $directory -Name) | Should -Be 'runbook.jsonl', 'runbook.jsonl.lock', 'runbook.jsonl.seal-intent'
    }

    It 'expands wildcards in -Path and takes -LiteralPath as it is, [ and ] included' {
        $bracketed = Join-Path $directory 'team[1].jsonl'
        Write-ScoutAuditEvent nav -Cost 0.5 -Path $bracketed
        Close-ScoutAuditLog -LiteralPath $bracketed

        (Get-ScoutAuditSpend -Path (Join-Path $directory '*.jsonl')).Path | Should -Be $log, $bracketed
        (Get-ScoutAuditSpend -LiteralPath $bracketed).Cost | Should -Be 0.5
        (Get-ScoutAuditEvent -LiteralPath $bracketed).Cost | Should -Be 0.5
        (Get-ScoutAuditAccuracy -LiteralPath $bracketed).Path | Should -Be $bracketed
        (Get-ChildItem -LiteralPath $directory -Filter '*.jsonl' | Get-ScoutAuditSpend).Path | Should -Be $log, $bracketed -Because "a file's PSPath binds -LiteralPath"
        Get-ScoutAuditSpend -Path $bracketed -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because '[1] is a wildcard matching team1.jsonl'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        "$($failed[0])" | Should -Match ([regex]::Escape('give a name with [ or ] as -LiteralPath'))
    }

    It 'expands wildcards for the commands on whole logs (verify and remove archives too), each log once, and takes -LiteralPath for a name with [' {
        $bracketed = Join-Path $directory 'team[1].jsonl'
        Write-ScoutAuditEvent nav -Path $bracketed
        $pattern = Join-Path $directory '*.jsonl'

        (Get-ScoutAuditLog -Path $pattern).Path | Should -Be $log, $bracketed
        (Get-ScoutAuditLog -LiteralPath $bracketed).Path | Should -Be $bracketed
        @(Invoke-ScoutAuditRotation -Path $pattern -Confirm:$false).Count | Should -Be 2
        (Get-ScoutAuditArchive -Path (Join-Path $directory '*.jsonl*')).LogPath | Should -Be $log, $bracketed -Because 'an archive matched stands for its log, listed once'
        Test-ScoutAuditLog -Path "$pattern*" -Quiet | Should -Be $true, $true -Because 'after the rotation only the archives are there, and they stand for their logs'
        Test-ScoutAuditLog -LiteralPath $bracketed -Quiet | Should -Be $true
        Test-ScoutAuditLog -Path $bracketed -Quiet -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty -Because '[1] is a wildcard matching team1.jsonl'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        (Remove-ScoutAuditArchive -LiteralPath $bracketed -Keep 0 -Confirm:$false -PassThru).LogPath | Should -Be $bracketed
        (Remove-ScoutAuditArchive -Path "$pattern*" -Keep 0 -Confirm:$false -PassThru).LogPath | Should -Be $log
        Close-ScoutAuditLog -Path (Join-Path $directory '*') -Verbose 4>&1 | Out-String | Should -Match ([regex]::Escape("'$bracketed'"))
        Get-ScoutAuditLog -Path (Join-Path $directory 'zz*.jsonl') -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
    }

    It 'refuses a log file given where the event type goes, rather than find no event of that type' {
        { Get-ScoutAuditEvent $log } | Should -Throw -ErrorId 'EventTypeIsPath,*'
        { Get-ScoutAuditEvent './runbook.jsonl.gz' } | Should -Throw -ErrorId 'EventTypeIsPath,*'
    }

    It 'does not warn for a log whose events are all in archives' {
        Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        Remove-Item $log -ErrorAction Ignore

        (Get-ScoutAuditSpend -Path $log -WarningVariable warned).Cost | Should -Be 0.04
        $warned | Should -BeNullOrEmpty
    }

    It 'does not warn for the default log that was never written' {
        $env:SCOUT_AUDIT_PATH = Join-Path $directory 'never-written.jsonl'

        Get-ScoutAuditEvent -WarningVariable warned | Should -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
    }
}

Describe 'A blank -Path' {
    It 'is a binding error of <Command>, not the default log' -ForEach @(
        @{ Command = 'Write-ScoutAuditEvent'; Call = { param($p) Write-ScoutAuditEvent nav -Path $p } }
        @{ Command = 'Get-ScoutAuditEvent'; Call = { param($p) Get-ScoutAuditEvent -Path $p } }
        @{ Command = 'Get-ScoutAuditSpend'; Call = { param($p) Get-ScoutAuditSpend -Path $p } }
        @{ Command = 'Get-ScoutAuditAccuracy'; Call = { param($p) Get-ScoutAuditAccuracy -Path $p } }
        @{ Command = 'Set-ScoutAuditLog'; Call = { param($p) Set-ScoutAuditLog -Path $p -SyncPolicy EveryEvent } }
        @{ Command = 'Close-ScoutAuditLog'; Call = { param($p) Close-ScoutAuditLog -Path $p } }
    ) {
        $env:SCOUT_AUDIT_PATH = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        foreach ($blank in '', ' ') {
            { & $Call $blank } | Should -Throw -ErrorId "ParameterArgumentValidationError,*" -ExpectedMessage '*empty or blank*'
        }
        $env:SCOUT_AUDIT_PATH | Should -Not -Exist
        Join-Path (Get-Location) ' ' | Should -Not -Exist
    }
}

Describe 'A log that does not exist yet' {
    BeforeEach {
        $directory = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $directory
        $log = Join-Path $directory 'audit.jsonl'
    }

    It 'gets no lock or intent file from a rotation, with or without -WhatIf' {
        Invoke-ScoutAuditRotation -Path $log -WhatIf
        Invoke-ScoutAuditRotation -Path $log -Confirm:$false | Should -BeNullOrEmpty

        Get-ChildItem $directory -Force | Should -BeNullOrEmpty
    }

    It 'gets no file at all from a refused write, a setting or a close' {
        { Write-ScoutAuditEvent nav -Cost -1 -Path $log } | Should -Throw
        [pscustomobject]@{ Event = 'nav'; Cost = 'bad' } | Write-ScoutAuditEvent -Path $log -ErrorAction SilentlyContinue
        Set-ScoutAuditLog -Path $log -SyncPolicy None
        $null = Get-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $log

        Get-ChildItem $directory -Force | Should -BeNullOrEmpty
    }
}

Describe 'Several logs at once' {
    BeforeAll {
        $first = Join-Path $TestDrive 'first.jsonl'
        $second = Join-Path $TestDrive 'second.jsonl'
        Write-ScoutAuditEvent nav -Cost 1 -Path $first
        Write-ScoutAuditEvent nav -Cost 2 -Path $second
        Write-ScoutAuditEvent validation_fail -Path $second
        Close-ScoutAuditLog -Path $first, $second
    }

    It 'reads the events of each -Path in turn, each event with the Path of its log' {
        $events = Get-ScoutAuditEvent -Path $first, $second

        $events.Cost | Should -Be 1, 2, $null
        $events.Path | Should -Be $first, $second, $second
    }

    It 'answers spend and accuracy per log, each row with its Path' {
        $spend = Get-ScoutAuditSpend -Path $first, $second
        $spend.Cost | Should -Be 1, 2
        $spend.Path | Should -Be $first, $second

        $accuracy = Get-ScoutAuditLog -Path $first, $second | Get-ScoutAuditAccuracy
        $accuracy.AccuracyPct | Should -Be 100, 0
        $accuracy.Path | Should -Be $first, $second
    }
}

Describe 'A relative -Path' {
    BeforeEach {
        $one = Join-Path $TestDrive ([guid]::NewGuid())
        $two = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $one, $two
    }

    AfterEach {
        Close-ScoutAuditLog -Path (Join-Path $one 'run.jsonl'), (Join-Path $two 'run.jsonl')
    }

    It 'is resolved in the current location of each call, also when the same text was resolved before' {
        Push-Location $one
        try {
            Write-ScoutAuditEvent first -Path ./run.jsonl
            Set-Location $two
            Write-ScoutAuditEvent second -Path ./run.jsonl
            Set-Location $one
            Write-ScoutAuditEvent third -Path ./run.jsonl
        }
        finally {
            Pop-Location
        }

        (Get-ScoutAuditEvent -Path (Join-Path $one 'run.jsonl')).Event | Should -Be 'first', 'third'
        (Get-ScoutAuditEvent -Path (Join-Path $two 'run.jsonl')).Event | Should -Be 'second'
    }

    It 'follows a drive made anew at another root' {
        New-PSDrive -Name ScoutRun -PSProvider FileSystem -Root $one | Out-Null
        Write-ScoutAuditEvent first -Path ScoutRun:/run.jsonl
        Remove-PSDrive ScoutRun
        New-PSDrive -Name ScoutRun -PSProvider FileSystem -Root $two | Out-Null
        Write-ScoutAuditEvent second -Path ScoutRun:/run.jsonl
        Remove-PSDrive ScoutRun

        (Get-ScoutAuditEvent -Path (Join-Path $one 'run.jsonl')).Event | Should -Be 'first'
        (Get-ScoutAuditEvent -Path (Join-Path $two 'run.jsonl')).Event | Should -Be 'second'
    }
}
