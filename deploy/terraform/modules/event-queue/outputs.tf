output "queue_url" {
  value = aws_sqs_queue.events.id
}

output "queue_arn" {
  value = aws_sqs_queue.events.arn
}

output "dead_letter_queue_url" {
  value = aws_sqs_queue.dead_letter.id
}
