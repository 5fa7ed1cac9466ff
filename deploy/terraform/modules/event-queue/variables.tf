variable "name" {
  description = "Queue name (the application's SQS_QUEUE_NAME); the dead-letter queue is this + -dlq"
  type        = string
  default     = "student-events"
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue (the worker gives up after as many)"
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "The worker's WORKER_VISIBILITY_TIMEOUT_SECONDS default"
  type        = number
  default     = 30
}

variable "receive_wait_time_seconds" {
  description = "Long polling by default (the worker asks for WORKER_WAIT_SECONDS anyway)"
  type        = number
  default     = 20
}

variable "retention_seconds" {
  type    = number
  default = 345600 # 4 days
}

variable "dead_letter_retention_seconds" {
  type    = number
  default = 1209600 # 14 days, SQS's longest: time to look at a poison message
}

variable "tags" {
  type    = map(string)
  default = {}
}
