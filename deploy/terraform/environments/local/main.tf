# The queue and the table in LocalStack (docker-compose.yml) or moto_server, as the seed did:
#   terraform init && terraform apply -auto-approve
# (the application also creates both itself at start unless ENVIRONMENT=production; this is
# for trying the same Terraform the aws environment applies).
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "endpoint" {
  description = "LocalStack or moto_server (the application's AWS_ENDPOINT_URL)"
  type        = string
  default     = "http://localhost:4566"
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    sqs      = var.endpoint
    dynamodb = var.endpoint
  }
}

module "event_queue" {
  source = "../../modules/event-queue"
  name   = "student-events"
}

module "audit_table" {
  source = "../../modules/audit-table"
  name   = "sre-playground-audit"
}

output "queue_url" {
  value = module.event_queue.queue_url
}

output "table_name" {
  value = module.audit_table.table_name
}
