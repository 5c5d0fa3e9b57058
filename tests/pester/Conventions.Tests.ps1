# PowerShell's conventions where the module meets them: settings that compare by name, -Verbose
# that says what was done, .NET values in extra fields written as the text people read, and a
# relative $env:SCOUT_AUDIT_PATH that stays where it was first resolved.

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    $savedAuditPath = $env:SCOUT_AUDIT_PATH
}

AfterAll {
    $env:SCOUT_AUDIT_PATH = $savedAuditPath
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'Module conventions' {
    BeforeEach {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'shows and compares the sync policy by its name, with the cadence beside it' {
        $info = Set-ScoutAuditLog -Path $log -SyncPolicy EveryEvent -PassThru

        $info.SyncPolicy -eq 'EveryEvent' | Should -BeTrue
        "$($info.SyncPolicy)" | Should -Be 'EveryEvent'
        (Set-ScoutAuditLog -Path $log -SyncPolicy Cadence -SyncEveryLines 5 -PassThru).SyncEveryLines | Should -Be 5
        (Get-ScoutAuditLog -Path $log).SyncInterval | Should -Be ([timespan]::FromSeconds(1))
    }

    It 'says with -Verbose which event it wrote to which log' {
        $said = Write-ScoutAuditEvent budget -Path $log -Verbose 4>&1

        "$said" | Should -BeLike "*'budget' event of 20*Z to '$log'*"
    }

    It 'writes dates, GUIDs, enums and URIs in -Property and -Config as the text they stand for' {
        $when = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)
        $id = [guid]'0f8fad5b-d9cb-469f-a165-70867728950e'

        Write-ScoutAuditEvent nav -Path $log -Property @{ when = $when; id = $id } `
            -Config ([ordered]@{ access = [IO.FileAccess]::Read; endpoint = [uri]'https://example.com/v1' })

        $line = Get-Content $log
        $line | Should -Match '"when": "2026-01-02T03:04:05Z"'
        $line | Should -Match '"id": "0f8fad5b-d9cb-469f-a165-70867728950e"'
        $line | Should -Match '"config": \{"access": "Read", "endpoint": "https://example.com/v1"\}'
    }

    It 'keeps a relative $env:SCOUT_AUDIT_PATH where it was first resolved, as the original does' {
        $first = Join-Path $TestDrive ([guid]::NewGuid())
        $second = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $first, $second
        $env:SCOUT_AUDIT_PATH = "logs-$([guid]::NewGuid())/audit.jsonl"
        Push-Location $first
        try {
            Write-ScoutAuditEvent nav
            Set-Location $second
            Write-ScoutAuditEvent deep
            Close-ScoutAuditLog
        }
        finally {
            Pop-Location
        }

        @(Get-Content (Join-Path $first $env:SCOUT_AUDIT_PATH)) | Should -HaveCount 2
        Join-Path $second $env:SCOUT_AUDIT_PATH | Should -Not -Exist
    }
}

Describe 'Tab completion from the log' {
    BeforeAll {
        $directory = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $directory
        $log = Join-Path $directory 'audit.jsonl'
        Write-ScoutAuditEvent custom_step -Model my-model-7b -Path $log
        Write-ScoutAuditEvent nav -Model gpt-4o-mini -Path $log
        Close-ScoutAuditLog -Path $log

        function Complete([string] $Line) { (TabExpansion2 $Line $Line.Length).CompletionMatches.CompletionText }
    }

    It 'offers the models the log named by -Path used, relative to the current location' {
        Push-Location $directory
        try { Complete 'Get-ScoutAuditEvent -Path ./audit.jsonl -Model ' | Should -Be 'gpt-4o-mini', 'my-model-7b' }
        finally { Pop-Location }
    }

    It 'offers the event types the log used beside the ones Scout knows' {
        Complete "Write-ScoutAuditEvent -Path '$log' -Event cu" | Should -Be 'custom_step'
        Complete "Get-ScoutAuditEvent -Path '$log' -Event " | Should -Contain 'validation_fail'
    }
}
